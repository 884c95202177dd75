import { waitForText } from './support/browser';
import { DESKTOP, startPagesNight } from './support/pagesNight';

/** The KJ's "Open tonight's rotation" form, filled the way people fill forms. */
const night = startPagesNight();
const { open } = night;

it('a setting the KJ emptied takes its default instead of being refused', async () => {
  const kj = await open(`${night.engine.url}/kj.html`, DESKTOP);
  await kj.getByLabel('Your name').fill('Kim');
  await kj.getByLabel('KJ passphrase').fill(night.engine.passphrase.current());
  await kj.getByRole('button', { name: 'Sign in as KJ' }).click();
  await kj.getByLabel('Venue', { exact: true }).fill('Empty Fields Bar');
  await kj.getByLabel('No-show after (seconds)').fill('');
  await kj.getByLabel('Songs a singer may queue').fill('');
  await kj.getByLabel('No-shows before set away').fill('4');
  await kj.getByRole('button', { name: 'Open rotation' }).click();
  await waitForText(kj.locator('#live-status'), 'Live');
  expect(await kj.locator('#error').textContent()).toBe('');

  const rotationId = new URL(kj.url()).searchParams.get('rotation')!;
  const response = await fetch(`${night.engine.url}/rotations/${rotationId}/events`, {
    headers: { authorization: `Bearer ${night.engine.tokens.issue({ sub: 'kj', name: 'Kim', role: 'kj' })}` },
  });
  const { events } = (await response.json()) as { events: { type: string; data: { settings: Record<string, unknown> } }[] };
  expect(events[0]!.data.settings).toMatchObject({ noShowTimeoutSeconds: 120, maxPendingSongs: 3, maxNoShows: 4, alertAheadTurns: 2 });
});
