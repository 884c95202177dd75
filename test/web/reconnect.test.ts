import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startEngine, type Engine } from '../../src/local/engine';
import { launchBrowser, openPage, waitForText } from './support/browser';
import { postToEngine } from './support/pagesNight';
import { buildWebPages } from './support/webBuild';

/** The venue screen rides out a server restart: the browser reconnects by itself and catches up, no reload. */
let build: ReturnType<typeof buildWebPages> | undefined;
let browser: Browser | undefined;
let engine: Engine | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'karaoke-restart-'));

beforeAll(async () => {
  build = buildWebPages();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await engine?.stop();
  build?.remove();
  rmSync(dataDir, { recursive: true, force: true });
});

const post = (path: string, token: string, body?: unknown) => postToEngine(engine!.url, path, token, body);

describe('live updates across a restart', () => {
  it('the venue screen reconnects with the same link and shows what changed', async () => {
    engine = await startEngine({ port: 0, dataDir, webDir: build!.dir });
    const port = engine.port;
    const kj = engine.tokens.issue({ sub: 'kj-re', name: 'Kim', role: 'kj' });
    const { rotationId } = await post('/rotations', kj, { venue: 'Restart Bar', settings: { autoAdvance: false } });
    const { ticket, expiresAt } = await post(`/rotations/${rotationId}/live-tickets`, kj);
    const link = `${engine.url}/venue.html?rotation=${rotationId}#${new URLSearchParams({ ticket: ticket!, expires: expiresAt! })}`;
    const venue = await openPage(browser!, link, { width: 1280, height: 720 });
    await waitForText(venue.page.locator('#live-status'), 'Live');

    await engine.stop();
    await waitForText(venue.page.locator('#live-status'), 'Reconnecting');
    engine = await startEngine({ port, dataDir, webDir: build!.dir });
    await post(`/rotations/${rotationId}/singers`, kj, { singerId: 'dee', displayName: 'Dee', song: { title: 'Jolene', artist: 'Dolly Parton' } });

    await waitForText(venue.page.locator('#deck-name'), 'Dee', 15_000);
    await waitForText(venue.page.locator('#live-status'), 'Live');
    expect(venue.navigations()).toBe(0);
    // While the server was down the browser's retries were refused; that is the outage, not a fault of the page.
    // Only the live feed may have been refused, and nothing else may have gone wrong.
    const refused = (problem: string) => /ERR_CONNECTION_REFUSED/.test(problem);
    const refusedRequests = venue.problems.filter((p) => refused(p) && p.startsWith('request failed:'));
    expect(refusedRequests.filter((p) => !p.includes(`/rotations/${rotationId}/live?`))).toEqual([]);
    expect(venue.problems.filter((p) => !refused(p))).toEqual([]);
  });
});
