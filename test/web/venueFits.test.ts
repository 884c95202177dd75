import type { Page } from 'playwright-core';
import { screenshot, waitForText } from './support/browser';
import { startPagesNight } from './support/pagesNight';

/**
 * The venue screen is a TV across the room: it cannot scroll, so whatever names and titles people type, the queue,
 * the QR code and the join code stay on the screen.
 */
const night = startPagesNight();
const { open, pages, post } = night;

// Ordinary names and well-known titles, and what a prankster types at the limits (60-character name, 200-character title).
const NIGHTS: Record<string, [string, string, string][]> = {
  ordinary: [
    ['Maximilian Fitzgerald', 'I Would Do Anything for Love (But I Won’t Do That)', 'Meat Loaf'],
    ['Anne-Catherine Dubois', 'Total Eclipse of the Heart (Single Version)', 'Bonnie Tyler'],
    ['Christopher Wellington', 'Bohemian Rhapsody', 'Queen'],
    ['Alexandra Papadopoulos', 'Jolene', 'Dolly Parton'],
    ['Bartholomew Jones', 'Hurt', 'Johnny Cash'],
    ['Jacqueline Rodriguez', 'Valerie', 'Amy Winehouse'],
    ['Kim', 'Africa', 'Toto'],
  ],
  'at the limits': [
    ['W'.repeat(60), 'M'.repeat(200), 'A'.repeat(200)],
    ['سارة الأحمد', `${'la '.repeat(66)}la`, 'B'.repeat(200)],
    ['<b>Zoë</b>', 'Song', 'Artist'],
    ['X'.repeat(60), 'Song', 'Artist'],
  ],
};

/** Where the parts of the screen are, against the viewport. */
const layout = (page: Page) =>
  page.evaluate(() => {
    const { document, innerHeight, innerWidth } = globalThis as unknown as {
      document: { querySelector(s: string): { getBoundingClientRect(): { top: number; bottom: number; left: number; right: number } } | null; documentElement: { scrollHeight: number; scrollWidth: number } };
      innerHeight: number;
      innerWidth: number;
    };
    const inside = (selector: string) => {
      const box = document.querySelector(selector)?.getBoundingClientRect();
      return !!box && box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight + 0.5 && box.right <= innerWidth + 0.5;
    };
    return {
      scrolls: document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth,
      qr: inside('#join-qr svg'),
      code: inside('#join-code'),
      comingUp: inside('#later-label'),
      firstLater: inside('#later li'),
    };
  });

describe('the venue screen on a TV', () => {
  it.each(Object.keys(NIGHTS))('keeps the queue, the QR code and the join code on screen (%s names)', async (kind) => {
    const kj = night.engine.tokens.issue({ sub: 'kj-tv', name: 'Kim', role: 'kj' });
    const { rotationId } = await post('/rotations', kj, { venue: 'The Big Screen', settings: { autoAdvance: false } });
    for (const [displayName, title, artist] of NIGHTS[kind]!) await post(`/rotations/${rotationId}/singers`, kj, { displayName, song: { title, artist } });
    await post(`/rotations/${rotationId}/turns`, kj);
    const { ticket, expiresAt } = await post(`/rotations/${rotationId}/live-tickets`, kj);
    const venue = await open(`${night.engine.url}/venue.html?rotation=${rotationId}#${new URLSearchParams({ ticket: ticket!, expires: expiresAt! })}`, { width: 1280, height: 720 });
    await waitForText(venue.locator('#now-name'), NIGHTS[kind]![0]![0]);
    await venue.locator('#join-qr svg').waitFor();
    for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }, { width: 1024, height: 768 }, { width: 3840, height: 2160 }]) {
      await venue.setViewportSize(size);
      expect({ size, ...(await layout(venue)) }).toEqual({ size, scrolls: false, qr: true, code: true, comingUp: true, firstLater: true });
    }
    await venue.setViewportSize({ width: 1280, height: 720 });
    await screenshot(venue, `venue-fits-${kind.replace(/ /g, '-')}`);
    expect(pages.flatMap((p) => p.problems)).toEqual([]);
  });
});
