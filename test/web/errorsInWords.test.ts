import type { Page } from 'playwright-core';
import { waitForText } from './support/browser';
import { PHONE, startPagesNight } from './support/pagesNight';

/** Refusals reach the person in words, where they are looking, and a bad link leads somewhere. */
const night = startPagesNight();
const { open, pages } = night;

const openRotation = async () => {
  const kj = night.engine.tokens.issue({ sub: 'kj-words', name: 'Kim', role: 'kj' });
  const response = await fetch(`${night.engine.url}/rotations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${kj}`, 'content-type': 'application/json' },
    body: JSON.stringify({ venue: 'The Word Bar', settings: { autoAdvance: false } }),
  });
  return ((await response.json()) as { rotationId: string }).rotationId;
};

const signIn = async (phone: Page, name: string) => {
  await phone.getByLabel('Your name').fill(name);
  await phone.getByRole('button', { name: 'Continue' }).click();
};

/** How much of the element shows in the viewport, in CSS pixels of height. */
const visibleHeight = (page: Page, selector: string) =>
  page.locator(selector).evaluate((element) => {
    const { top, bottom } = element.getBoundingClientRect();
    return Math.max(0, Math.min(bottom, (globalThis as unknown as { innerHeight: number }).innerHeight) - Math.max(top, 0));
  });

describe('refusals in words', () => {
  it('a refused form far down a phone page shows its reason on screen', async () => {
    const rotationId = await openRotation();
    const amy = await open(`${night.engine.url}/singer.html?rotation=${rotationId}`, PHONE, { isMobile: true });
    await signIn(amy, 'Amy');
    const join = amy.locator('#join-form');
    await join.getByLabel('Song', { exact: true }).fill('Jolene');
    await join.getByLabel('Artist').fill('Dolly Parton');
    await join.getByRole('button', { name: 'Join with this song' }).click();
    await waitForText(amy.locator('#my-turn'), "You're next");

    // Text alerts without a number: the server refuses; she is at the bottom of the page.
    await amy.getByLabel('Text message').check();
    await amy.locator('#contact-form').getByRole('button', { name: 'Save' }).click();
    await waitForText(amy.locator('#error'), 'phone');
    expect(await amy.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY)).toBeGreaterThan(0);
    expect(await visibleHeight(amy, '#error')).toBeGreaterThan(20);
  });

  it('a mangled link asks for the join code instead of retrying for ever', async () => {
    const rotationId = await openRotation();
    const bo = await open(`${night.engine.url}/singer.html?rotation=${encodeURIComponent(`${rotationId.slice(0, 8)} (copied)`)}`, PHONE, { isMobile: true });
    await signIn(bo, 'Bo');
    await waitForText(bo.locator('#error'), 'There is no rotation with this code');
    await bo.locator('#no-rotation').waitFor({ state: 'visible' });
    expect(await bo.locator('#live-status').textContent()).not.toMatch(/Reconnecting/);
    const joinCode = await (await fetch(`${night.engine.url}/rotations/${rotationId}/queue`, {
      headers: { authorization: `Bearer ${night.engine.tokens.issue({ sub: 'kj-words', name: 'Kim', role: 'kj' })}` },
    })).json() as { joinCode: string };
    await bo.getByLabel('Join code').fill(joinCode.joinCode);
    await bo.getByRole('button', { name: 'Go' }).click();
    await bo.locator('#join-title').waitFor({ state: 'visible' });
    expect(bo.url()).toContain(`rotation=${rotationId}`);
    // The refusals were answers, not faults of the page.
    const faults = pages.flatMap((p) => p.problems).filter((p) => !/status of (400|404)/.test(p));
    expect(faults).toEqual([]);
  });
});
