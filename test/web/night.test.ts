import type { Locator, Page } from 'playwright-core';
import { focusedText, horizontalOverflow, screenshot, waitForText } from './support/browser';
import { PHONE, DESKTOP, SCREEN, startPagesNight } from './support/pagesNight';

/**
 * A short night in a real browser: a KJ console, two singers' phones and the venue screen, each in its own
 * browser context (its own device), against the whole engine serving the freshly built pages.
 */
const night = startPagesNight();
const { open, pages } = night;

const attributeMatching = async (locator: Locator, name: string, pattern: RegExp): Promise<string> => {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const value = await locator.getAttribute(name);
    if (value && pattern.test(value)) return value;
  }
  throw new Error(`${String(locator)} never had ${name} matching ${String(pattern)}`);
};

const rotationOrder = async (kj: Page) => (await kj.locator('#rotation-list li .who').allTextContents()).map((t) => t.trim());

describe('the night’s pages', () => {
  it('plays a night: KJ opens, two singers join from phones, the venue screen follows live', async () => {
    // The KJ signs in and opens the rotation.
    const kj = await open(`${night.engine.url}/kj.html`, DESKTOP);
    await kj.getByLabel('Your name').fill('Kim');
    await kj.getByLabel('KJ passphrase').fill(night.engine.passphrase.current());
    await kj.getByRole('button', { name: 'Sign in as KJ' }).click();
    await kj.getByLabel('Venue', { exact: true }).fill('The Blue Note');
    await kj.getByLabel('Call the next singer automatically after each turn').uncheck();
    await kj.getByRole('button', { name: 'Open rotation' }).click();
    await waitForText(kj.locator('#live-status'), 'Live');
    expect(kj.url()).toMatch(/\?rotation=/);
    const venueLink = await attributeMatching(kj.getByRole('link', { name: 'Open the venue screen' }), 'href', /#ticket=lt1_/);
    const singerLink = (await kj.locator('#singer-link').getAttribute('href'))!;

    // The venue screen opens from the KJ's link: no sign-in.
    const venue = await open(venueLink, SCREEN);
    await waitForText(venue.locator('#live-status'), 'Live');
    await waitForText(venue.locator('#venue-name'), 'The Blue Note');
    await waitForText(venue.locator('#now-name'), 'The stage is open');

    // Amy joins from her phone.
    const amy = await open(singerLink, PHONE, { isMobile: true });
    await amy.getByLabel('Your name').fill('Amy');
    await amy.getByRole('button', { name: 'Continue' }).click();
    const amyJoin = amy.locator('#join-form');
    await amyJoin.getByLabel('Song', { exact: true }).fill('Dancing Queen');
    await amyJoin.getByLabel('Artist').fill('ABBA');
    await amyJoin.getByRole('button', { name: 'Join with this song' }).click();
    await waitForText(amy.locator('#my-turn'), "You're next");
    await waitForText(venue.locator('#deck-name'), 'Amy'); // pushed: the venue screen was not reloaded

    // Bo joins by keyboard only: Tab to the name, Enter to submit, Tab through the join form.
    const bo = await open(singerLink, PHONE, { isMobile: true });
    await bo.keyboard.press('Tab');
    await bo.keyboard.type('Bo');
    await bo.keyboard.press('Enter');
    await bo.locator('#join-title:focus').waitFor();
    await bo.keyboard.type('Purple Rain');
    await bo.keyboard.press('Tab');
    await bo.keyboard.type('Prince');
    await bo.keyboard.press('Tab'); // the optional key change
    await bo.keyboard.press('Tab');
    expect(await focusedText(bo)).toBe('Join with this song');
    await bo.keyboard.press('Enter');
    await waitForText(bo.locator('#my-turn'), '2 turns away');
    await waitForText(venue.locator('#later'), 'Bo');
    await waitForText(kj.locator('#rotation-list'), 'Bo');
    await screenshot(venue, '1-venue-before-first-call');

    // The KJ calls the next singer with the keyboard; focus moves on to the next action.
    await kj.getByRole('button', { name: 'Call next singer' }).focus();
    await kj.keyboard.press('Enter');
    await waitForText(venue.locator('#now-name'), 'Amy');
    await waitForText(venue.locator('#now-label'), 'Called to the stage');
    await waitForText(venue.locator('#deck-name'), 'Bo');
    await waitForText(amy.locator('#up-banner'), "You're up! Head to the stage");
    expect(await amy.locator('#up-banner').getAttribute('aria-live')).toBe('assertive');
    await waitForText(bo.locator('#my-turn'), "You're next");
    // The live views reach the other pages (and may hide "Call next singer" on the console) before the console's
    // own action has read the queue and handed the focus on: wait for the action to end.
    await kj.locator('#call-next:not([aria-busy])').waitFor({ state: 'attached' });
    expect(await focusedText(kj)).toBe('Start song');
    await screenshot(kj, '2-kj-keyboard-focus-on-start');
    await screenshot(amy, '2-singer-amy-up');
    await screenshot(venue, '3-venue-amy-called');

    await kj.keyboard.press('Enter'); // Start song
    await waitForText(venue.locator('#now-label'), 'Now singing');
    await waitForText(amy.locator('#up-banner'), "You're on stage");
    await kj.getByRole('button', { name: 'Song done' }).click();
    await waitForText(venue.locator('#now-name'), 'Starting soon');
    await waitForText(amy.locator('#up-banner'), /^$/);

    // Amy queues another song; Bo steps away (passed over) and comes back.
    const amySongs = amy.locator('#song-form');
    await amySongs.getByLabel('Song', { exact: true }).fill('Waterloo');
    await amySongs.getByLabel('Artist').fill('ABBA');
    await amySongs.getByRole('button', { name: 'Add song' }).click();
    await waitForText(amy.locator('#song-added'), 'Added “Waterloo” by ABBA');
    await waitForText(amy.locator('#my-turn'), '2 turns away');
    await bo.getByRole('button', { name: 'Step away' }).click();
    await waitForText(bo.locator('#my-turn'), "You're away");
    await waitForText(venue.locator('#deck-name'), 'Amy');
    await bo.getByRole('button', { name: "I'm back" }).click();
    await waitForText(venue.locator('#deck-name'), 'Bo');

    // A walk-up singer, placed next by the KJ, goes on deck.
    const walkUp = kj.locator('#walk-up-form');
    await walkUp.getByLabel('Name').fill('Cy');
    await walkUp.getByLabel('Song', { exact: true }).fill('Africa');
    await walkUp.getByLabel('Artist').fill('Toto');
    await walkUp.getByLabel('Placement').selectOption('next');
    await walkUp.getByRole('button', { name: 'Add singer' }).click();
    await waitForText(venue.locator('#deck-name'), 'Cy');
    await waitForText(bo.locator('#my-turn'), '2 turns away');

    // The KJ moves Bo up one place; the focus stays with Bo's buttons for the next press.
    const before = await rotationOrder(kj);
    const boAt = before.indexOf('Bo');
    expect(boAt).toBeGreaterThan(0);
    await kj.getByRole('button', { name: 'Move Bo up' }).click();
    const expected = [...before];
    expected.splice(boAt, 1);
    expected.splice(boAt - 1, 0, 'Bo');
    for (let i = 0; i < 50 && (await rotationOrder(kj)).join() !== expected.join(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await rotationOrder(kj)).toEqual(expected);
    // The live view may re-render the list before the move's own answer is back; when Bo reached the top, the
    // disabled "up" loses the focus until the action ends and hands it to "down". So wait for the action to end.
    const focusedLabel = () => kj.evaluate('document.activeElement?.getAttribute("aria-label") ?? null') as Promise<string | null>;
    for (let i = 0; i < 50 && !/^Move Bo (up|down)$/.test((await focusedLabel()) ?? ''); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await focusedLabel()).toMatch(/^Move Bo (up|down)$/);

    // Dragging a row onto the first one moves that singer to the front.
    const last = expected[expected.length - 1]!;
    await kj.locator('#rotation-list li').last().dragTo(kj.locator('#rotation-list li').first());
    const dragged = [last, ...expected.slice(0, -1)];
    for (let i = 0; i < 50 && (await rotationOrder(kj)).join() !== dragged.join(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await rotationOrder(kj)).toEqual(dragged);

    // Amy sets up text alerts.
    await amy.getByLabel('Mobile number (with country code)').fill('+15551234567');
    await amy.getByLabel('Text message').check();
    await amy.locator('#contact-form').getByRole('button', { name: 'Save' }).click();
    await waitForText(amy.locator('#contact-saved'), "Saved. We'll alert you by text");

    // The night's log, in words.
    const timeline = kj.locator('#timeline');
    await waitForText(timeline, 'Amy joined with “Dancing Queen” by ABBA, at the end of this round');
    await waitForText(timeline, 'Amy was called up for “Dancing Queen” by ABBA');
    await waitForText(timeline, 'Amy sang “Dancing Queen” by ABBA');
    await waitForText(timeline, 'Cy joined with “Africa” by Toto, to sing next (by the KJ)');
    await waitForText(timeline, 'The KJ moved Bo to place');

    // Phones and the venue screen at 375 px: nothing to scroll sideways.
    expect(await horizontalOverflow(amy)).toBe(0);
    expect(await horizontalOverflow(bo)).toBe(0);
    await screenshot(kj, '4-kj-console');
    await screenshot(bo, '5-singer-bo');
    await screenshot(venue, '6-venue-cy-on-deck');
    for (const page of [kj, venue]) {
      await page.setViewportSize(PHONE);
      expect(await horizontalOverflow(page)).toBe(0);
    }
    await screenshot(kj, '7-kj-console-phone');
    await screenshot(venue, '8-venue-phone');
    await venue.setViewportSize(SCREEN);

    // Bo leaves; the KJ closes the night.
    await bo.getByRole('button', { name: 'Leave the rotation…' }).click();
    await bo.getByRole('button', { name: 'Yes, leave' }).click();
    await bo.locator('#join').waitFor({ state: 'visible' });
    await waitForText(venue.locator('#later'), /^(?!.*Bo)/);
    await kj.getByRole('button', { name: 'Close rotation…' }).click();
    await kj.getByRole('button', { name: 'Yes, close it' }).click();
    await waitForText(venue.locator('#now-name'), "That's a wrap!");
    await waitForText(amy.locator('#my-turn'), 'The night is over');
    // Nothing can be queued, alerted or left any more: those forms are gone, not waiting to be refused.
    for (const name of ['Add song', 'Save', 'Leave the rotation…']) expect(await amy.getByRole('button', { name }).isVisible()).toBe(false);
    await screenshot(venue, '9-venue-closed');

    expect(pages.map((p) => p.problems).flat()).toEqual([]);
    expect(pages[1]!.navigations()).toBe(0); // the venue screen never reloaded
  });

  it('serves the landing page with links to the three pages, and the venue screen explains itself without a link', async () => {
    const landing = await open(`${night.engine.url}/`, PHONE, { isMobile: true });
    const links = await Promise.all((await landing.getByRole('link').all()).map((link) => link.getAttribute('href')));
    expect(links).toEqual(['./kj.html', './singer.html', './venue.html']);
    expect(await horizontalOverflow(landing)).toBe(0);
    await screenshot(landing, '0-landing');

    const bare = await open(`${night.engine.url}/venue.html`, SCREEN);
    await waitForText(bare.locator('#venue-message'), 'Open this screen from the KJ console');
    const problems = pages.slice(-2).map((p) => p.problems).flat();
    expect(problems).toEqual([]);
  });
});
