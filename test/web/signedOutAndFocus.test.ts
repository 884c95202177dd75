import type { Page } from 'playwright-core';
import { waitForText } from './support/browser';
import { DESKTOP, PHONE, startPagesNight } from './support/pagesNight';

/** Where the keyboard goes after a step that takes the focused control away, and what a lost sign-in leaves. */
const night = startPagesNight();
const { open } = night;

const kjToken = () => night.engine.tokens.issue({ sub: 'kj-focus', name: 'Kim', role: 'kj' });

const send = async (method: string, path: string, body: string | object, contentType = 'application/json') => {
  const response = await fetch(`${night.engine.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${kjToken()}`, 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return response.json() as Promise<Record<string, string>>;
};

const focused = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id ?? '');

/** The server's answer to a sign-in that is no longer valid, for the next request matching `pattern`. */
const signInEndsAt = (page: Page, pattern: string) =>
  page.route(pattern, (route) =>
    route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unauthorized', message: 'Sign in again.' } }) }),
  );

describe('focus and sign-in', () => {
  it('leaving a book-only night by keyboard puts the focus on the song search', async () => {
    await send('PUT', '/songbook', 'title,artist\nJolene,Dolly Parton\n', 'text/csv');
    const { rotationId } = await send('POST', '/rotations', { venue: 'Book Bar', settings: { autoAdvance: false, songsFromBookOnly: true } });
    const amy = await open(`${night.engine.url}/singer.html?rotation=${rotationId}`, PHONE, { isMobile: true });
    await amy.keyboard.press('Tab');
    await amy.keyboard.type('Amy');
    await amy.keyboard.press('Enter');
    await amy.locator('#join-search:focus').waitFor();
    await amy.keyboard.type('jol');
    await amy.getByRole('button', { name: 'Jolene by Dolly Parton' }).waitFor();
    await amy.keyboard.press('Tab');
    await amy.keyboard.press('Enter');
    await waitForText(amy.locator('#my-turn'), "You're next");

    await amy.locator('#leave').focus();
    await amy.keyboard.press('Enter');
    await amy.keyboard.press('Shift+Tab'); // from "Stay" back to "Yes, leave"
    expect(await focused(amy)).toBe('leave-yes');
    await amy.keyboard.press('Enter');
    await amy.locator('#join').waitFor({ state: 'visible' });
    await amy.locator('#join-search:focus').waitFor();
  });

  it('a singer whose sign-in ended mid-action sees only the sign-in, with their name and the keyboard there', async () => {
    const { rotationId } = await send('POST', '/rotations', { venue: 'Expiry Bar', settings: { autoAdvance: false } });
    const bo = await open(`${night.engine.url}/singer.html?rotation=${rotationId}`, PHONE, { isMobile: true });
    await bo.getByLabel('Your name').fill('Bo');
    await bo.getByRole('button', { name: 'Continue' }).click();
    const join = bo.locator('#join-form');
    await join.getByLabel('Song', { exact: true }).fill('Hurt');
    await join.getByLabel('Artist').fill('Johnny Cash');
    await join.getByRole('button', { name: 'Join with this song' }).click();
    await waitForText(bo.locator('#my-turn'), "You're next");

    await signInEndsAt(bo, '**/skip');
    await bo.getByRole('button', { name: 'Skip my next turn' }).click();
    await waitForText(bo.locator('#error'), 'Your sign-in has expired');
    await bo.locator('#sign-in').waitFor({ state: 'visible' });
    expect(await bo.locator('#me').isHidden()).toBe(true); // no buttons that would act for nobody
    expect(await bo.getByLabel('Your name').inputValue()).toBe('Bo');
    expect(await focused(bo)).toBe('singer-name');
  });

  it('a KJ whose sign-in ended mid-action types only the passphrase and is back at the night', async () => {
    const kj = await open(`${night.engine.url}/kj.html`, DESKTOP);
    await kj.getByLabel('Your name').fill('Kim');
    await kj.getByLabel('KJ passphrase').fill(night.engine.passphrase.current());
    await kj.getByRole('button', { name: 'Sign in as KJ' }).click();
    await kj.getByLabel('Venue', { exact: true }).fill('Console Bar');
    await kj.getByRole('button', { name: 'Open rotation' }).click();
    await waitForText(kj.locator('#live-status'), 'Live');
    const night1 = kj.url();

    await signInEndsAt(kj, '**/singers');
    const walkUp = kj.locator('#walk-up-form');
    await walkUp.getByLabel('Name').fill('Cy');
    await walkUp.getByLabel('Song', { exact: true }).fill('Africa');
    await walkUp.getByLabel('Artist').fill('Toto');
    await walkUp.getByRole('button', { name: 'Add singer' }).click();
    await waitForText(kj.locator('#error'), 'Your sign-in has expired');
    await kj.locator('#sign-in').waitFor({ state: 'visible' });
    expect(await kj.getByLabel('Your name').inputValue()).toBe('Kim');
    expect(await focused(kj)).toBe('kj-passphrase');
    expect(await kj.getByLabel('KJ passphrase').inputValue()).toBe(''); // the old one was not kept in the page

    await kj.unroute('**/singers');
    await kj.keyboard.type(night.engine.passphrase.current());
    await kj.keyboard.press('Enter');
    await kj.locator('#console').waitFor({ state: 'visible' });
    expect(kj.url()).toBe(night1);
    // What they had typed is still there: one more press adds the singer.
    await walkUp.getByRole('button', { name: 'Add singer' }).click();
    await waitForText(kj.locator('#rotation-list'), 'Cy');
  });

  it('the KJ’s last "Song done" of the night by keyboard leaves the focus in the On stage panel', async () => {
    const kj = await open(`${night.engine.url}/kj.html`, DESKTOP);
    await kj.getByLabel('Your name').fill('Kim');
    await kj.getByLabel('KJ passphrase').fill(night.engine.passphrase.current());
    await kj.getByRole('button', { name: 'Sign in as KJ' }).click();
    await kj.getByLabel('Venue', { exact: true }).fill('Last Song Bar');
    await kj.getByLabel('Call the next singer automatically after each turn').uncheck();
    await kj.getByRole('button', { name: 'Open rotation' }).click();
    const walkUp = kj.locator('#walk-up-form');
    await walkUp.getByLabel('Name').fill('Dee');
    await walkUp.getByLabel('Song', { exact: true }).fill('Hurt');
    await walkUp.getByLabel('Artist').fill('Johnny Cash');
    await walkUp.getByRole('button', { name: 'Add singer' }).click();
    await waitForText(kj.locator('#rotation-list'), 'Dee');

    await kj.getByRole('button', { name: 'Call next singer' }).focus();
    await kj.keyboard.press('Enter');
    await kj.locator('#start-turn:focus').waitFor();
    await kj.keyboard.press('Enter');
    await kj.locator('#complete-turn:focus').waitFor();
    await kj.keyboard.press('Enter'); // Dee's was the only song: nobody waits, "Call next singer" is disabled
    await waitForText(kj.locator('#now'), 'Nobody is waiting');
    await kj.locator('#now-heading:focus').waitFor();
  });
});
