import { waitForText } from './support/browser';
import { DESKTOP, PHONE, startPagesNight, joinWithJolene } from './support/pagesNight';
import { openWifiLink } from './support/wifiLink';

/**
 * A page that fell behind the night (its live stream died quietly; another screen of the same KJ ran the
 * turn; the KJ took a singer off): a press it sends is refused, and the page says so in words and shows the night
 * as it is.
 */
const night = startPagesNight();
const { open } = night;

const post = (path: string, body?: unknown) => night.post(path, night.engine.tokens.issue({ sub: 'kj', name: 'Kim', role: 'kj' }), body);

it('a press on a turn that already ended: words, no ids, and the current buttons', async () => {
  const link = await openWifiLink(night.engine.port);
  try {
    const kj = await open(`${link.url}/kj.html`, DESKTOP);
    await kj.getByLabel('Your name').fill('Kim');
    await kj.getByLabel('KJ passphrase').fill(night.engine.passphrase.current());
    await kj.getByRole('button', { name: 'Sign in as KJ' }).click();
    await kj.getByLabel('Venue', { exact: true }).fill('Two Screens Bar');
    await kj.getByLabel('Call the next singer automatically after each turn').uncheck();
    await kj.getByRole('button', { name: 'Open rotation' }).click();
    await waitForText(kj.locator('#live-status'), 'Live');
    const rotationId = new URL(kj.url()).searchParams.get('rotation')!;
    await post(`/rotations/${rotationId}/singers`, { displayName: 'Amy', song: { title: 'Jolene', artist: 'Dolly Parton' } });
    await kj.getByRole('button', { name: 'Call next singer' }).click();
    await kj.getByRole('button', { name: 'Song done' }).waitFor();

    link.dropSilently(); // this console hears nothing more
    const turnId = (await (await fetch(`${night.engine.url}/rotations/${rotationId}/queue`, {
      headers: { authorization: `Bearer ${night.engine.tokens.issue({ sub: 'kj', name: 'Kim', role: 'kj' })}` },
    })).json() as { current: { turnId: string } }).current.turnId;
    await post(`/rotations/${rotationId}/turns/${turnId}/complete`); // the other screen

    await kj.getByRole('button', { name: 'Song done' }).click();
    const said = await waitForText(kj.locator('#error'), 'That turn had already ended');
    expect(said).not.toContain(turnId);
    await kj.getByRole('button', { name: 'Call next singer' }).waitFor();
    await waitForText(kj.locator('#now'), 'Nobody on stage');
  } finally {
    await link.close();
  }
});

it('a singer the KJ took off, tapping Skip on a phone that fell behind: words, and the join form', async () => {
  const link = await openWifiLink(night.engine.port);
  try {
    const { rotationId } = await post('/rotations', { venue: 'Taken Off Bar', settings: { autoAdvance: false } });
    const amy = await open(`${link.url}/singer.html?rotation=${rotationId}`, PHONE, { isMobile: true });
    await joinWithJolene(amy, 'Amy');
    await waitForText(amy.locator('#my-turn'), "You're next");
    await waitForText(amy.locator('#live-status'), 'Live');

    link.dropSilently();
    const kjToken = night.engine.tokens.issue({ sub: 'kj', name: 'Kim', role: 'kj' });
    const view = (await (await fetch(`${night.engine.url}/rotations/${rotationId}/queue`, { headers: { authorization: `Bearer ${kjToken}` } })).json()) as {
      singers: { singerId: string }[];
    };
    const amyId = view.singers[0]!.singerId;
    const removed = await fetch(`${night.engine.url}/rotations/${rotationId}/singers/${encodeURIComponent(amyId)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${kjToken}` },
    });
    expect(removed.status).toBe(200);

    await amy.getByRole('button', { name: 'Skip my next turn' }).click();
    const said = await waitForText(amy.locator('#error'), 'You are no longer in the rotation');
    expect(said).not.toContain(amyId);
    await amy.locator('#join').waitFor({ state: 'visible' });
  } finally {
    await link.close();
  }
});
