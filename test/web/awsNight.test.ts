/**
 * The same pages with GET /config answering the AWS shape: they sign in through an OAuth 2.0 authorization code
 * + PKCE stand-in of Cognito's managed sign-in and follow the rotation through an AppSync Events stand-in (its
 * HTTP publish and WebSocket protocols), fed by the projector's own publish path (withLiveViews + the SigV4
 * publisher). The API behind them is the local engine, which accepts the stand-in's tokens (its own signer).
 * What only a deployment can show: Cognito's real pages and JWKS-signed tokens, AppSync's real authorization.
 */
import type { Browser, Page, Request } from 'playwright-core';
import { WebSocket } from 'ws';
import type { PageConfig } from '../../src/api/pageConfig';
import { startEngine, type Engine } from '../../src/local/engine';
import { createAppSyncEventsPublisher } from '../../src/projections/liveViewPublisher';
import { startAppSyncEvents, type AppSyncEventsStandIn } from '../support/appSyncEvents';
import { launchBrowser, openPage, waitForText, type WatchedPage } from './support/browser';
import { startOidcStandIn, type OidcStandIn } from './support/oidcStandIn';
import { buildWebPages } from './support/webBuild';

const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
const CREDENTIALS = { accessKeyId: 'AKIDPROJECTOR', secretAccessKey: 'projector-secret', sessionToken: 'session' };
const REGION = 'eu-west-1';
const CLIENT_ID = 'pages-client';
const VENUE_KEY = 'da2-venuescreenkey';

let build: ReturnType<typeof buildWebPages> | undefined;
let engine: Engine | undefined;
let events: AppSyncEventsStandIn | undefined;
let oidc: OidcStandIn | undefined;
let browser: Browser | undefined;
const pages: WatchedPage[] = [];

beforeAll(async () => {
  build = buildWebPages();
  events = await startAppSyncEvents({ ...CREDENTIALS, region: REGION, realtime: { apiKey: VENUE_KEY, verifyToken: (token) => engine?.tokens.verify(token) != null } });
  oidc = await startOidcStandIn({
    clientId: CLIENT_ID,
    users: { 'kim@example.com': { sub: 'kj-kim', name: 'Kim', role: 'kj' } },
    issue: (user) => engine!.tokens.issue(user),
  });
  const awsConfig = (publicUrl: string): PageConfig => ({
    mode: 'aws',
    signIn: 'cognito',
    live: 'appsync-events',
    liveUrl: events!.realtimeUrl,
    liveHost: events!.host,
    liveApiKey: VENUE_KEY,
    apiUrl: publicUrl,
    publicUrl,
    cognito: { region: REGION, userPoolId: `${REGION}_StandIn`, clientId: CLIENT_ID, domain: oidc!.url, scopes: ['openid', 'email', 'profile'] },
  });
  engine = await startEngine({
    port: 0,
    webDir: build.dir,
    pageConfig: awsConfig,
    liveViews: createAppSyncEventsPublisher({ url: events.url, region: REGION, credentials: async () => CREDENTIALS }),
  });
  oidc.redirectUris = [`${engine.url}/kj.html`, `${engine.url}/singer.html`];
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await engine?.stop();
  await events?.close();
  await oidc?.close();
  build?.remove();
});

const open = async (url: string, viewport: { width: number; height: number }) => {
  const watched = await openPage(browser!, url, viewport);
  pages.push(watched);
  return watched.page;
};

/** Amy signs up through the managed sign-in page, lands back on the singer page and joins with a song. */
const signInAndJoin = async (amy: Page) => {
  await amy.getByRole('button', { name: 'Sign in' }).click();
  await amy.getByLabel('Email').fill('amy@example.com');
  await amy.getByRole('button', { name: 'Sign in' }).click();
  const amyJoin = amy.locator('#join-form');
  await amyJoin.getByLabel('Song', { exact: true }).fill('Dancing Queen');
  await amyJoin.getByLabel('Artist').fill('ABBA');
  await amyJoin.getByRole('button', { name: 'Join with this song' }).click();
  await waitForText(amy.locator('#my-turn'), "You're next");
};

describe('the night’s pages in the AWS shape', () => {
  it('signs in with code + PKCE, opens, joins and follows the rotation over AppSync Events', async () => {
    // The KJ signs in through the managed sign-in page and comes back to the console.
    const kj = await open(`${engine!.url}/kj.html`, DESKTOP);
    await kj.getByRole('button', { name: 'Sign in as KJ' }).click();
    await kj.getByLabel('Email').fill('kim@example.com');
    await kj.getByRole('button', { name: 'Sign in' }).click();
    await kj.getByLabel('Venue', { exact: true }).fill('The Blue Note');
    await kj.getByLabel('Call the next singer automatically after each turn').uncheck();
    expect(new URL(kj.url()).search).toBe(''); // the spent code is gone from the address
    await kj.getByRole('button', { name: 'Open rotation' }).click();
    await waitForText(kj.locator('#live-status'), 'Live');
    const rotationId = new URL(kj.url()).searchParams.get('rotation')!;
    // No ticket in AWS: the venue screen subscribes with the deployment's subscribe-only key.
    const venueLink = (await kj.getByRole('link', { name: 'Open the venue screen' }).getAttribute('href'))!;
    expect(venueLink).toBe(`${engine!.url}/venue.html?rotation=${rotationId}`);
    const singerLink = (await kj.locator('#singer-link').getAttribute('href'))!;

    const venue = await open(venueLink, DESKTOP);
    await waitForText(venue.locator('#live-status'), 'Live');
    await waitForText(venue.locator('#venue-message'), 'Waiting for the next change');

    // Amy signs up from her phone on the way in, and lands back on this rotation's page.
    const amy = await open(singerLink, PHONE);
    await signInAndJoin(amy);
    expect(new URL(amy.url()).searchParams.get('rotation')).toBe(rotationId);

    // Pushed through the channel to the screen, which was never reloaded.
    await waitForText(venue.locator('#deck-name'), 'amy');
    await waitForText(venue.locator('#venue-name'), 'The Blue Note');

    // The KJ calls her; her phone and the screen hear it live.
    await kj.getByRole('button', { name: 'Call next singer' }).click();
    await waitForText(amy.locator('#up-banner'), "You're up!");
    await waitForText(venue.locator('#now-name'), 'amy');

    // A screen opened later in the KJ's own browser fills in at once, from the KJ's kept sign-in, with no change.
    const secondScreen = await kj.context().newPage();
    await secondScreen.goto(venueLink);
    await waitForText(secondScreen.locator('#now-name'), 'amy');
    await waitForText(secondScreen.locator('#venue-name'), 'The Blue Note');
    expect(await secondScreen.locator('#venue-message').isVisible()).toBe(false);
    await secondScreen.close();

    // Both sign-ins exchanged a code with its PKCE verifier; subscriptions used tokens, the two screens the key.
    expect(oidc!.exchanges).toEqual([{ outcome: 'issued' }, { outcome: 'issued' }]);
    const channel = `/rotations/${rotationId}`;
    expect(events!.subscriptions.filter((s) => s.channel === channel).map((s) => s.auth).sort()).toEqual(['api-key', 'api-key', 'token', 'token']);
    for (const { page, problems, navigations } of pages) {
      expect({ url: page.url(), problems }).toEqual({ url: page.url(), problems: [] });
      if (page === venue) expect(navigations()).toBe(0);
    }
  });

  it('a rotation too big to push whole (330 singers, long names) still reaches the phone: it re-reads on the marker', async () => {
    const kjToken = engine!.tokens.issue({ sub: 'kj-kim', name: 'Kim', role: 'kj' });
    const api = async (path: string, body?: unknown) => {
      const response = await fetch(`${engine!.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${kjToken}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(response.status).toBe(201);
      return (await response.json()) as Record<string, string>;
    };
    const { rotationId, joinCode } = await api('/rotations', { venue: 'The Big Room', settings: { autoAdvance: false, maxSingers: 500 } });

    // Amy joins from her phone first, while the view is small enough to push whole.
    const amy = await open(`${engine!.url}/j/${joinCode}`, PHONE);
    await signInAndJoin(amy);

    // A venue screen on its own device: no KJ sign-in in its browser, so it cannot read the queue itself.
    const venue = await open(`${engine!.url}/venue.html?rotation=${rotationId}`, DESKTOP);
    await waitForText(venue.locator('#live-status'), 'Live');
    // Amy's phone reads the queue once at a time however many markers come (at most one read after her own action).
    let reading = 0;
    let mostAtOnce = 0;
    const isQueueRead = (r: Request) => r.method() === 'GET' && new URL(r.url()).pathname === `/rotations/${rotationId}/queue`;
    amy.on('request', (r) => isQueueRead(r) && (mostAtOnce = Math.max(mostAtOnce, ++reading)));
    amy.on('requestfinished', (r) => isQueueRead(r) && reading--);
    amy.on('requestfailed', (r) => isQueueRead(r) && reading--);

    // 329 walk-ups with the longest names and songs the API takes: the view passes AppSync's 240 KB quota.
    const refusedBefore = events!.refusedTooLarge;
    const walkUp = (i: number) =>
      api(`/rotations/${rotationId}/singers`, { displayName: `Walk-up ${i} `.padEnd(60, 'x'), song: { title: `Song ${i} `.padEnd(200, 'y'), artist: `Artist ${i} `.padEnd(200, 'z') } });
    for (let first = 1; first < 330; first += 50) {
      await Promise.all(Array.from({ length: Math.min(50, 330 - first) }, (_, k) => walkUp(first + k)));
    }
    await api(`/rotations/${rotationId}/turns`);

    // Only the marker could tell her phone: the view itself is never pushed (the service would refuse it).
    await waitForText(amy.locator('#up-banner'), "You're up!");
    await waitForText(venue.locator('#now-name'), 'amy'); // from the marker's head
    expect(mostAtOnce).toBe(1);
    const channel = `/rotations/${rotationId}`;
    const pushed = events!.published.filter((p) => p.channel === channel).flatMap((p) => p.events);
    expect(pushed.at(-1)).toMatchObject({ kind: 'view-too-large', rotationId });
    expect(events!.refusedTooLarge).toBe(refusedBefore);
  });

  it('the stand-ins refuse what the services refuse: a wrong PKCE verifier, a spent code, a wildcard or keyless subscription', async () => {
    // A code obtained by signing in, then exchanged with the wrong verifier: refused, and spent.
    const authorize = new URL('/oauth2/authorize', oidc!.url);
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    Object.entries({ client_id: CLIENT_ID, redirect_uri: `${engine!.url}/kj.html`, response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256', state: 's' }).forEach(([k, v]) => authorize.searchParams.set(k, v));
    expect((await fetch(authorize)).status).toBe(200);
    const login = await fetch(new URL('/login', oidc!.url), {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ email: 'kim@example.com', redirect_uri: `${engine!.url}/kj.html`, state: 's', code_challenge: challenge }),
    });
    const code = new URL(login.headers.get('location')!).searchParams.get('code')!;
    const exchange = (verifier: string) =>
      fetch(new URL('/oauth2/token', oidc!.url), {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: CLIENT_ID, redirect_uri: `${engine!.url}/kj.html`, code, code_verifier: verifier }),
      });
    expect((await exchange('not-the-verifier')).status).toBe(400);
    expect((await exchange('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).status).toBe(400); // right verifier, spent code
    authorize.searchParams.set('code_challenge_method', 'plain');
    expect((await fetch(authorize)).status).toBe(400);

    // The venue key subscribes to one rotation, never to all of them, and cannot publish; no key, no connection.
    const header = (auth: object) => `header-${Buffer.from(JSON.stringify({ host: events!.host, ...auth })).toString('base64url')}`;
    const firstAnswers = (auth: object, channel: string) =>
      new Promise<string[]>((resolve, reject) => {
        const ws = new WebSocket(events!.realtimeUrl, ['aws-appsync-event-ws', header(auth)]);
        const seen: string[] = [];
        ws.on('error', reject);
        ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
        ws.on('message', (data) => {
          const message = JSON.parse(String(data)) as { type: string };
          seen.push(message.type);
          if (message.type === 'connection_ack') ws.send(JSON.stringify({ type: 'subscribe', id: 'x', channel, authorization: { host: events!.host, ...auth } }));
          if (message.type !== 'connection_ack') ws.close();
        });
        ws.on('close', () => resolve(seen));
      });
    expect(await firstAnswers({ 'x-api-key': VENUE_KEY }, '/rotations/*')).toEqual(['connection_ack', 'subscribe_error']);
    expect(await firstAnswers({ 'x-api-key': VENUE_KEY }, '/rotations/some-rotation')).toEqual(['connection_ack', 'subscribe_success']);
    expect(await firstAnswers({ 'x-api-key': 'guessed' }, '/rotations/some-rotation')).toEqual(['connection_error']);
    const keyPublish = await fetch(events!.url, { method: 'POST', headers: { 'x-api-key': VENUE_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ channel: '/rotations/some-rotation', events: ['"x"'] }) });
    expect(keyPublish.status).toBe(401);
  });
});
