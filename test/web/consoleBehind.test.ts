import { waitForText } from './support/browser';
import { DESKTOP, startPagesNight } from './support/pagesNight';
import { openWifiLink } from './support/wifiLink';

/**
 * A KJ console that fell behind the night (its live stream died quietly; another screen of the same KJ ran the
 * turn): a press it sends is refused, and the console says so in words and shows the night as it is.
 */
const night = startPagesNight();
const { open } = night;

const post = async (path: string, body?: unknown) => {
  const response = await fetch(`${night.engine.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${night.engine.tokens.issue({ sub: 'kj', name: 'Kim', role: 'kj' })}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return response.json() as Promise<Record<string, string>>;
};

it('a press on a turn that already ended: words, no ids, and the current buttons', async () => {
  const link = await openWifiLink(night.engine.port);
  try {
    const kj = await open(`${link.url}/kj.html`, DESKTOP);
    await kj.getByLabel('Your name').fill('Kim');
    await kj.getByLabel('KJ passphrase').fill(night.engine.passphrase.current());
    await kj.getByRole('button', { name: 'Sign in as KJ' }).click();
    await kj.getByLabel('Venue', { exact: true }).fill('Two Screens Bar');
    await kj.getByLabel('Call the next singer automatically after each turn').uncheck();
    await kj.getByRole('button', { name: 'Open rotation' }).click();
    await waitForText(kj.locator('#live-status'), 'Live');
    const rotationId = new URL(kj.url()).searchParams.get('rotation')!;
    await post(`/rotations/${rotationId}/singers`, { displayName: 'Amy', song: { title: 'Jolene', artist: 'Dolly Parton' } });
    await kj.getByRole('button', { name: 'Call next singer' }).click();
    await kj.getByRole('button', { name: 'Song done' }).waitFor();

    link.dropSilently(); // this console hears nothing more
    const turnId = (await (await fetch(`${night.engine.url}/rotations/${rotationId}/queue`, {
      headers: { authorization: `Bearer ${night.engine.tokens.issue({ sub: 'kj', name: 'Kim', role: 'kj' })}` },
    })).json() as { current: { turnId: string } }).current.turnId;
    await post(`/rotations/${rotationId}/turns/${turnId}/complete`); // the other screen

    await kj.getByRole('button', { name: 'Song done' }).click();
    const said = await waitForText(kj.locator('#error'), 'That turn had already ended');
    expect(said).not.toContain(turnId);
    await kj.getByRole('button', { name: 'Call next singer' }).waitFor();
    await waitForText(kj.locator('#now'), 'Nobody on stage');
  } finally {
    await link.close();
  }
});
