import { waitForText } from './support/browser';
import { DESKTOP, PHONE, startPagesNight, joinWithJolene } from './support/pagesNight';

/**
 * While a song plays, nothing new may arrive for minutes: the waits a phone and the console show run down with
 * the song (the pages' clocks are Playwright's fake ones, moved on by hand; the server's is real).
 */
const night = startPagesNight();
const { open } = night;

const kjToken = () => night.engine.tokens.issue({ sub: 'kj', name: 'Kim', role: 'kj' });
const post = (path: string, body?: unknown) => night.post(path, kjToken(), body);

it('a phone waiting behind a song that is playing sees its wait run down, and not below the song’s end', async () => {
  const { rotationId } = await post('/rotations', { venue: 'The Slow Song', settings: { autoAdvance: false } });
  await post(`/rotations/${rotationId}/singers`, { displayName: 'Bo', song: { title: 'Hurt', artist: 'Johnny Cash' } });
  const amy = await open(`${night.engine.url}/singer.html?rotation=${rotationId}`, PHONE, { isMobile: true });
  await amy.clock.install();
  await amy.reload();
  await joinWithJolene(amy, 'Amy');
  await waitForText(amy.locator('#my-turn'), '2 turns away');

  const kj = await open(`${night.engine.url}/kj.html?rotation=${rotationId}`, DESKTOP);
  await kj.clock.install();
  await kj.reload();
  await kj.getByLabel('Your name').fill('Kim');
  await kj.getByLabel('KJ passphrase').fill(night.engine.passphrase.current());
  await kj.getByRole('button', { name: 'Sign in as KJ' }).click();
  await kj.getByRole('button', { name: 'Call next singer' }).click();
  await kj.getByRole('button', { name: 'Start song' }).click();
  await waitForText(amy.locator('#my-turn'), "You're next");
  // Bo sings: a whole average song ahead of Amy (ROTATION.md's default until songs have been timed).
  const before = await waitForText(amy.locator('#my-wait'), /about \d+ min/);
  const minutes = Number(/about (\d+) min/.exec(before)![1]);
  await waitForText(kj.locator('#upcoming'), `about ${minutes} min`);

  await amy.clock.fastForward('02:00');
  await kj.clock.fastForward('02:00');
  await waitForText(amy.locator('#my-wait'), `about ${minutes - 2} min`);
  await waitForText(kj.locator('#upcoming'), `about ${minutes - 2} min`);
  // Bo's song overruns the average: Amy is next "any minute now", never "in the past".
  await amy.clock.fastForward('01:00:00');
  await waitForText(amy.locator('#my-wait'), 'any minute now');
});
