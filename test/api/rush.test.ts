import { song, startTestApi, type ApiResponse } from '../support/api';

const api = startTestApi();

const SINGERS = 100;
const READERS = 50;
/** Each reader reads the queue again this long after its last answer: a phone keeping the queue open. */
const READ_EVERY_MS = 250;

/**
 * The start of a night (issue 11): a hundred phones join within a second, each then queues two songs at
 * once, while fifty phones keep reading the queue. Every command is accepted: contention is not the
 * caller's problem (API.md "Errors").
 */
it(`${SINGERS} singers join at once and each queues 2 songs at once, with ${READERS} readers: all accepted`, async () => {
  const kj = api.token('kj-rush', 'kj');
  const opened = await api.request('POST', '/rotations', { token: kj, body: { venue: 'Rush Hour', settings: { autoAdvance: false } } });
  const r = `/rotations/${opened.body.rotationId}`;
  const ids = Array.from({ length: SINGERS }, (_, i) => `rush-${i}`);
  const tokens = new Map(ids.map((id) => [id, api.token(id, 'singer')]));

  let reading = true;
  const reads: number[] = [];
  const readers = Array.from({ length: READERS }, async () => {
    while (reading) {
      reads.push((await api.request('GET', `${r}/queue`, { token: kj })).status);
      await new Promise((resolve) => setTimeout(resolve, READ_EVERY_MS));
    }
  });

  const commands: ApiResponse[] = [];
  await Promise.all(
    ids.map(async (id) => {
      const token = tokens.get(id)!;
      const joined = await api.request('POST', `${r}/singers`, { token, body: { displayName: id, song: song(`${id} 1`) } });
      commands.push(joined);
      if (joined.status !== 201) return;
      commands.push(
        ...(await Promise.all(
          [2, 3].map((n) => api.request('POST', `${r}/singers/${id}/songs`, { token, body: song(`${id} ${n}`) })),
        )),
      );
    }),
  );
  reading = false;
  await Promise.all(readers);

  const statuses = commands.map((c) => c.status);
  expect(statuses.filter((s) => s !== 201)).toEqual([]);
  expect(statuses).toHaveLength(3 * SINGERS);
  expect(reads.length).toBeGreaterThan(0);
  expect(reads.filter((s) => s !== 200)).toEqual([]);

  const view = (await api.request('GET', `${r}/queue`, { token: kj })).body;
  expect(view.singers).toHaveLength(SINGERS);
  expect(view.version).toBe(1 + 3 * SINGERS);
  // Every song in the view: three pending for each singer.
  expect(view.singers.filter((s: { pendingSongs: number }) => s.pendingSongs !== 3)).toEqual([]);
  // The log agrees: every command once, in one unbroken chain of versions.
  const events = (await api.request('GET', `${r}/events`, { token: kj })).body.events as { type: string }[];
  expect(events.filter((e) => e.type === 'SingerJoined')).toHaveLength(SINGERS);
  expect(events.filter((e) => e.type === 'SongQueued')).toHaveLength(2 * SINGERS);
}, 120_000);
