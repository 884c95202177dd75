import type { Page } from 'playwright-core';
import { waitForText } from './support/browser';
import { PHONE, startPagesNight, joinWithJolene } from './support/pagesNight';
import { openWifiLink, type WifiLink } from './support/wifiLink';

/**
 * A phone that lost the Wi-Fi, or slept, while its live stream died without a word: coming back, the page must
 * show the queue as it is now, not the one from before, however quiet the rotation has been since.
 */
const night = startPagesNight();
const { open, post } = night;

/** A night with Amy in it, her phone on the Wi-Fi link; the KJ acts from the engine's own machine. */
const amyOnTheWifi = async (link: WifiLink): Promise<{ amy: Page; kj: string; rotationId: string }> => {
  const kj = night.engine.tokens.issue({ sub: `kj-${Math.random().toString(36).slice(2)}`, name: 'Kim', role: 'kj' });
  const { rotationId } = await post('/rotations', kj, { venue: 'The Dead Zone', settings: { autoAdvance: false } });
  const amy = await open(`${link.url}/singer.html?rotation=${rotationId}`, PHONE, { isMobile: true });
  await joinWithJolene(amy, 'Amy');
  await waitForText(amy.locator('#my-turn'), "You're next");
  await waitForText(amy.locator('#live-status'), 'Live');
  return { amy, kj, rotationId: rotationId! };
};

const walkUpNext = (rotationId: string, kj: string, name: string) =>
  post(`/rotations/${rotationId}/singers`, kj, { displayName: name, song: { title: 'Hurt', artist: 'Johnny Cash' }, placement: 'next' });

describe('a phone coming back', () => {
  it('after the Wi-Fi dropped: back online, it shows the current queue', async () => {
    const link = await openWifiLink(night.engine.port);
    try {
      const { amy, kj, rotationId } = await amyOnTheWifi(link);
      await amy.context().setOffline(true);
      link.dropSilently();
      await walkUpNext(rotationId, kj, 'Bo');
      await amy.context().setOffline(false);
      await waitForText(amy.locator('#my-turn'), '2 turns away');
      await waitForText(amy.locator('#upcoming'), 'Bo');
      await waitForText(amy.locator('#live-status'), 'Live');
      // And it is live again: the next change arrives by itself.
      await walkUpNext(rotationId, kj, 'Cy');
      await waitForText(amy.locator('#my-turn'), '3 turns away');
    } finally {
      await link.close();
    }
  });

  it('after the phone slept: its screen back on, it shows the current queue', async () => {
    const link = await openWifiLink(night.engine.port);
    try {
      const { amy, kj, rotationId } = await amyOnTheWifi(link);
      // Asleep, the phone kept its Wi-Fi but the stream died on the way (the router forgot it).
      link.dropSilently();
      await walkUpNext(rotationId, kj, 'Bo');
      // The screen comes back on: what the browser fires then (headless Chromium never hides a page itself).
      await amy.evaluate(() => (globalThis as unknown as { document: { dispatchEvent(e: unknown): void } }).document.dispatchEvent(new Event('visibilitychange')));
      await waitForText(amy.locator('#my-turn'), '2 turns away');
      await walkUpNext(rotationId, kj, 'Cy');
      await waitForText(amy.locator('#my-turn'), '3 turns away');
    } finally {
      await link.close();
    }
  });
});
