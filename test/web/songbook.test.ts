import { waitForText } from './support/browser';
import { PHONE, DESKTOP, startPagesNight } from './support/pagesNight';

/**
 * The songbook in a real browser: the KJ imports a CSV from the console and opens a book-only night; a phone
 * searches "dolly jol", taps Jolene, and is in the rotation.
 */
const night = startPagesNight();
const { open, pages } = night;

const CSV = ['title,artist,key,ref', 'Jolene,Dolly Parton,,SC8125-03', '9 to 5,Dolly Parton,,', 'Jolly Holiday,Julie Andrews,,', 'Valerie,Amy Winehouse,-2,', 'jolene,dolly parton,,'].join('\n');

it('a phone searches "dolly jol", taps Jolene, and is in the rotation', async () => {
  const kj = await open(`${night.engine.url}/kj.html`, DESKTOP);
  await kj.getByLabel('Your name').fill('Kim');
  await kj.getByLabel('KJ passphrase').fill(night.engine.passphrase.current());
  await kj.getByRole('button', { name: 'Sign in as KJ' }).click();

  // The KJ imports the book from a file and sees the count and the line left out.
  await kj.getByLabel(/Import a CSV/).setInputFiles({ name: 'book.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  await kj.getByRole('button', { name: 'Import songbook' }).click();
  await waitForText(kj.locator('#book-imported'), 'Imported 4 songs. 1 line left out:');
  await waitForText(kj.locator('#book-skipped'), 'Line 6: duplicate of line 2');
  // And adds one song by hand.
  const add = kj.locator('#book-add-form');
  await add.getByLabel('Song', { exact: true }).fill('Respect');
  await add.getByLabel('Artist').fill('Aretha Franklin');
  await add.getByRole('button', { name: 'Add to songbook' }).click();
  await waitForText(kj.locator('#book-added'), 'Added Respect by Aretha Franklin.');

  await kj.getByLabel('Venue', { exact: true }).fill('The Songbook Bar');
  await kj.getByLabel('Call the next singer automatically after each turn').uncheck();
  await kj.getByLabel('Songs from my songbook only').check();
  await kj.getByRole('button', { name: 'Open rotation' }).click();
  await waitForText(kj.locator('#live-status'), 'Live');
  const singerLink = (await kj.locator('#singer-link').getAttribute('href'))!;

  // A phone: sign in, search as you type, tap the song.
  const phone = await open(singerLink, PHONE, { isMobile: true });
  await phone.getByLabel('Your name').fill('Amy');
  await phone.getByRole('button', { name: 'Continue' }).click();
  await phone.getByLabel("Find your song in the KJ's songbook").pressSequentially('dolly jol', { delay: 40 });
  const jolene = phone.getByRole('button', { name: 'Jolene by Dolly Parton' });
  await jolene.waitFor();
  // Screen readers hear how many songs were found (a status line; the list itself is not announced).
  const found = await waitForText(phone.locator('#join-results-count[role="status"]'), /^\d+ songs? found\.$/);
  expect(Number.parseInt(found, 10)).toBe(await phone.locator('#join-results button').count());
  // A book-only night has no free-text form.
  expect(await phone.locator('#join-form').isHidden()).toBe(true);
  await jolene.tap();
  await waitForText(phone.locator('#my-turn'), "You're next");
  await waitForText(phone.locator('#my-wait'), 'Jolene');
  await waitForText(kj.locator('#rotation-list'), 'Amy');

  // Queue another from the book, with a typo.
  await phone.getByLabel("Find a song in the KJ's songbook").pressSequentially('valery', { delay: 40 });
  await phone.getByRole('button', { name: 'Valerie by Amy Winehouse' }).tap();
  await waitForText(phone.locator('#song-added'), 'Added Valerie by Amy Winehouse.');
  await waitForText(phone.locator('#my-details'), '2 songs queued');

  for (const { problems } of pages) expect(problems).toEqual([]);
});
