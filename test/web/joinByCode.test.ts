import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { screenshot, waitForText } from './support/browser';
import { PHONE, DESKTOP, SCREEN, startPagesNight } from './support/pagesNight';

/**
 * Issue 13 "Done when", in Debian's chromium: the KJ signs in with the passphrase (a wrong one refused, the
 * sixth wrong one in a minute 429), a phone decodes the venue screen's QR code from a screenshot (jsqr; no
 * camera) and follows it to the singer page of that rotation, and another phone joins by typing the code.
 */
const JSQR = readFileSync(require.resolve('jsqr/dist/jsQR.js'), 'utf8');

const night = startPagesNight();
const { open, pages } = night;

/** On a blank phone-sized page (no CSP, nothing of ours): draws the PNG and reads the QR code in it with jsQR. */
const decodeQr = async (phone: Page, png: Buffer): Promise<string | null> => {
  await phone.addScriptTag({ content: JSQR });
  // Browser code as text: this file is type-checked for Node, without the DOM's types.
  const decode = `(async (dataUrl) => {
    const image = new Image();
    image.src = dataUrl;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = window.jsQR(data, width, height);
    return found ? found.data : null;
  })(${JSON.stringify(`data:image/png;base64,${png.toString('base64')}`)})`;
  return (await phone.evaluate(decode)) as string | null;
};

const signInAsKj = async (kj: Page, passphrase: string) => {
  await kj.getByLabel('KJ passphrase').fill(passphrase);
  await kj.getByRole('button', { name: 'Sign in as KJ' }).click();
};

describe('joining by code', () => {
  it('a phone decodes the venue screen’s QR code and lands on the singer page of that rotation; another types the code', async () => {
    const kj = await open(`${night.engine.url}/kj.html`, DESKTOP);
    await kj.getByLabel('Your name').fill('Kim');
    await signInAsKj(kj, night.engine.passphrase.current());
    await kj.getByLabel('Venue', { exact: true }).fill('The QR Lounge');
    await kj.getByRole('button', { name: 'Open rotation' }).click();
    await waitForText(kj.locator('#live-status'), 'Live');
    const rotationId = new URL(kj.url()).searchParams.get('rotation')!;
    const joinCode = await waitForText(kj.locator('#join-code'), /^[2-9A-HJKMNP-Z]{5}$/);
    expect(await kj.locator('#join-qr svg').count()).toBe(1);
    await waitForText(kj.locator('#singer-link'), `${night.engine.url}/j/${joinCode}`);

    let venueLink = '';
    for (const deadline = Date.now() + 10_000; !/#ticket=/.test(venueLink) && Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      venueLink = (await kj.getByRole('link', { name: 'Open the venue screen' }).getAttribute('href')) ?? '';
    }
    const venue = await open(venueLink, SCREEN);
    await waitForText(venue.locator('#join-code'), joinCode);
    const qr = venue.locator('#join-qr svg');
    await qr.waitFor();
    // Big enough to scan across a room: at least a quarter of the screen's height.
    const box = (await qr.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(SCREEN.height / 4);
    await screenshot(venue, 'qr-1-venue-screen');

    // The phone "scans" a picture of the whole screen, as a camera would see it, and follows what it reads.
    const picture = await venue.screenshot();
    const phone = await open('about:blank', PHONE, { isMobile: true });
    const decoded = await decodeQr(phone, picture);
    expect(decoded).toBe(`${night.engine.url}/j/${joinCode}`);
    await phone.goto(decoded!);
    expect(new URL(phone.url()).pathname).toBe('/singer.html');
    expect(new URL(phone.url()).searchParams.get('rotation')).toBe(rotationId);
    await phone.getByLabel('Your name').fill('Amy');
    await phone.getByRole('button', { name: 'Continue' }).click();
    await phone.locator('#join-form').getByLabel('Song').fill('Jolene');
    await phone.locator('#join-form').getByLabel('Artist').fill('Dolly Parton');
    await phone.getByRole('button', { name: 'Join with this song' }).click();
    await waitForText(phone.locator('#my-turn'), "You're next");
    await waitForText(venue.locator('#deck-name'), 'Amy');

    // Another phone opens the singer page with no link and types the code as read off the screen.
    const typed = await open(`${night.engine.url}/singer.html`, PHONE, { isMobile: true });
    await typed.getByLabel('Join code').fill(`${joinCode.slice(0, 2).toLowerCase()} ${joinCode.slice(2).toLowerCase()}`);
    await typed.getByRole('button', { name: 'Go' }).click();
    await typed.waitForURL((url) => url.searchParams.get('rotation') === rotationId);
    await typed.getByLabel('Your name').fill('Bo');
    await typed.getByRole('button', { name: 'Continue' }).click();
    await typed.locator('#join-form').getByLabel('Song').fill('Purple Rain');
    await typed.locator('#join-form').getByLabel('Artist').fill('Prince');
    await typed.getByRole('button', { name: 'Join with this song' }).click();
    await waitForText(typed.locator('#my-turn'), '2 turns away');
    await screenshot(typed, 'qr-2-phone-joined-by-code');

    // Another pastes the whole link a friend sent in a chat, words and all.
    const pasted = await open(`${night.engine.url}/singer.html`, PHONE, { isMobile: true });
    await pasted.getByLabel('Join code').fill(`Karaoke tonight! ${night.engine.url}/j/${joinCode} see you there`);
    await pasted.getByRole('button', { name: 'Go' }).click();
    await pasted.waitForURL((url) => url.searchParams.get('rotation') === rotationId);

    // A wrong code says so, in words.
    const wrong = await open(`${night.engine.url}/singer.html`, PHONE, { isMobile: true });
    await wrong.getByLabel('Join code').fill('ZZZZZ');
    await wrong.getByRole('button', { name: 'Go' }).click();
    await waitForText(wrong.locator('#error'), 'No open rotation has the code ZZZZZ');

    for (const watched of pages.filter((p) => !p.page.isClosed())) {
      // The wrong code's 404 is the one failure a page saw on purpose.
      expect(watched.problems.filter((p) => !/\/join\/ZZZZZ|status of 404/.test(p))).toEqual([]);
    }
  });
  it('KJ passphrase: a wrong one is refused, and the sixth wrong one in a minute gets 429', async () => {
    const kj = await open(`${night.engine.url}/kj.html`, DESKTOP);
    await kj.getByLabel('Your name').fill('Kim');
    for (let i = 1; i <= 5; i++) {
      await signInAsKj(kj, `WRONG-GUESS-${i}`);
      await waitForText(kj.locator('#error'), 'That is not the KJ passphrase');
      await kj.evaluate("document.getElementById('error').textContent = ''");
    }
    await signInAsKj(kj, 'WRONG-GUESS-6');
    await waitForText(kj.locator('#error'), 'Too many wrong passphrases');
    expect(await kj.locator('#open-rotation').isHidden()).toBe(true);
    // Past the limit even the right passphrase waits out the minute.
    await signInAsKj(kj, night.engine.passphrase.current());
    await waitForText(kj.locator('#error'), 'Too many wrong passphrases');
  });

});
