import type { Page, Request } from 'playwright-core';
import { waitForText } from './support/browser';
import { DESKTOP, PHONE, startPagesNight, joinWithJolene } from './support/pagesNight';

/**
 * One intent, one effect, in a real browser against the whole engine: a write whose answer is lost on the venue
 * Wi-Fi and is then retried by the person acts once; the same write asked for again after an answer acts again.
 */
const night = startPagesNight();
const { open, post } = night;

const queueOf = async (rotationId: string, token: string) => {
  const response = await fetch(`${night.engine.url}/rotations/${rotationId}/queue`, { headers: { authorization: `Bearer ${token}` } });
  return response.json() as Promise<{ singers: { displayName: string; pendingSongs: number }[] }>;
};

/** The server gets the request and acts on it; the phone never hears back (the Wi-Fi dropped the answer). */
const loseNextAnswer = async (page: Page, pattern: string, keys: string[]) => {
  let lost = false;
  await page.route(pattern, async (route, request: Request) => {
    keys.push(request.headers()['idempotency-key'] ?? '');
    const answer = await route.fetch();
    if (lost) return route.fulfill({ response: answer });
    lost = true;
    return route.abort('failed');
  });
};

const openNight = async () => {
  const kj = night.engine.tokens.issue({ sub: `kj-${Math.random().toString(36).slice(2)}`, name: 'Kim', role: 'kj' });
  const { rotationId } = await post('/rotations', kj, { venue: 'The Flaky Wi-Fi', settings: { autoAdvance: false } });
  return { kj, rotationId: rotationId! };
};

const joinFromPhone = async (rotationId: string, name: string) => {
  const phone = await open(`${night.engine.url}/singer.html?rotation=${rotationId}`, PHONE, { isMobile: true });
  await joinWithJolene(phone, name);
  await waitForText(phone.locator('#my-turn'), "You're next");
  return phone;
};

describe('a write retried after its answer was lost', () => {
  it('queues the song once, and a song asked for again after an answer is a new song', async () => {
    const { kj, rotationId } = await openNight();
    const amy = await joinFromPhone(rotationId, 'Amy');
    const keys: string[] = [];
    await loseNextAnswer(amy, '**/songs', keys);

    const more = amy.locator('#song-form');
    await more.getByLabel('Song', { exact: true }).fill('Valerie');
    await more.getByLabel('Artist').fill('Amy Winehouse');
    await more.getByRole('button', { name: 'Add song' }).click();
    await waitForText(amy.locator('#error'), 'Cannot reach the server');
    // The form kept what she typed: she taps again.
    await more.getByRole('button', { name: 'Add song' }).click();
    await waitForText(amy.locator('#song-added'), 'Added “Valerie” by Amy Winehouse');
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect((await queueOf(rotationId, kj)).singers.find((s) => s.displayName === 'Amy')?.pendingSongs).toBe(2);

    // Now answered: the same song again is her new wish (up to the limit of 3), with a key of its own.
    await more.getByLabel('Song', { exact: true }).fill('Valerie');
    await more.getByLabel('Artist').fill('Amy Winehouse');
    await more.getByRole('button', { name: 'Add song' }).click();
    await waitForText(amy.locator('#my-details'), '3 songs queued');
    expect(keys).toHaveLength(3);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('steps away once when the answer was lost, and a later step away is not mistaken for that retry', async () => {
    const { kj, rotationId } = await openNight();
    const bo = await joinFromPhone(rotationId, 'Bo');
    const keys: string[] = [];
    await loseNextAnswer(bo, '**/away', keys);
    await bo.getByRole('button', { name: 'Step away' }).click();
    await waitForText(bo.locator('#error'), 'Cannot reach the server');
    // The step away did happen; the live feed says so.
    await waitForText(bo.locator('#my-turn'), "You're away");
    await bo.getByRole('button', { name: "I'm back" }).click();
    await waitForText(bo.locator('#my-turn'), "You're next");
    await bo.getByRole('button', { name: 'Step away' }).click();
    await waitForText(bo.locator('#my-turn'), "You're away");
    expect(keys).toHaveLength(2);
    expect(keys[1]).not.toBe(keys[0]);
    expect((await queueOf(rotationId, kj)).singers).toEqual([expect.objectContaining({ displayName: 'Bo' })]);
  });
});

/** Counts the writes the page starts (a click's handler calls fetch while the click is being dispatched). */
const countWrites = (page: Page) =>
  page.evaluate(`(() => {
    window.writes = [];
    const original = window.fetch.bind(window);
    window.fetch = (input, init) => {
      if (init && init.method && init.method !== 'GET') window.writes.push(init.method + ' ' + String(input));
      return original(input, init);
    };
  })()`);
const writes = (page: Page) => page.evaluate('window.writes') as Promise<string[]>;

/**
 * A double-tap as a finger makes it: the first tap presses `first`; its answer puts `second` where `first` was;
 * the second tap of the same gesture (click count 2) lands there. Returns the writes each tap started.
 */
const doubleTapAcross = async (page: Page, first: string, second: string): Promise<[string[], string[]]> => {
  const box = (await page.locator(first).boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await countWrites(page);
  await page.mouse.move(x, y);
  await page.mouse.down({ clickCount: 1 });
  await page.mouse.up({ clickCount: 1 });
  const byFirst = await writes(page);
  // Until the first tap's action has ended and `second` is under the finger.
  await page.waitForFunction(
    ([px, py, id]) => {
      // The tests compile without the DOM's types: the little of it used here.
      type Button = { id: string; getAttribute(name: string): string | null };
      const { document } = globalThis as unknown as { document: { elementFromPoint(x: number, y: number): { closest(s: string): Button | null } | null } };
      const under = document.elementFromPoint(px, py)?.closest('button');
      return under?.id === id && under.getAttribute('aria-busy') !== 'true';
    },
    [x, y, second.slice(1)] as [number, number, string],
  );
  await countWrites(page);
  await page.mouse.down({ clickCount: 2 });
  await page.mouse.up({ clickCount: 2 });
  return [byFirst, await writes(page)];
};

describe('a double-tap', () => {
  it('on the KJ’s turn buttons presses only the first: Start song never becomes Song done', async () => {
    const kj = await open(`${night.engine.url}/kj.html`, DESKTOP);
    await kj.getByLabel('Your name').fill('Kim');
    await kj.getByLabel('KJ passphrase').fill(night.engine.passphrase.current());
    await kj.getByRole('button', { name: 'Sign in as KJ' }).click();
    await kj.getByLabel('Venue', { exact: true }).fill('Double Tap Bar');
    await kj.getByLabel('Call the next singer automatically after each turn').uncheck();
    await kj.getByRole('button', { name: 'Open rotation' }).click();
    const walkUp = kj.locator('#walk-up-form');
    for (const name of ['Amy', 'Bo']) {
      await walkUp.getByLabel('Name').fill(name);
      await walkUp.getByLabel('Song', { exact: true }).fill('Africa');
      await walkUp.getByLabel('Artist').fill('Toto');
      await walkUp.getByRole('button', { name: 'Add singer' }).click();
      await waitForText(kj.locator('#rotation-list'), name);
    }
    await kj.getByRole('button', { name: 'Call next singer' }).click();
    await kj.getByRole('button', { name: 'Start song' }).waitFor();

    const [started, completed] = await doubleTapAcross(kj, '#start-turn', '#complete-turn');
    expect(started).toEqual([expect.stringMatching(/^POST .*\/start$/)]);
    expect(completed).toEqual([]);
    await waitForText(kj.locator('#now'), 'Singing now.');
    // A press of its own still works.
    await kj.getByRole('button', { name: 'Song done' }).click();
    await waitForText(kj.locator('#now'), 'Nobody on stage');
  });

  it('on the singer’s Step away does not come straight back', async () => {
    const { rotationId } = await openNight();
    const cy = await joinFromPhone(rotationId, 'Cy');
    const [away, back] = await doubleTapAcross(cy, '#away', '#away');
    expect(away).toEqual([expect.stringMatching(/\/away$/)]);
    expect(back).toEqual([]);
    await waitForText(cy.locator('#my-turn'), "You're away");
  });
});
