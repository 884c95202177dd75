import { requestJson } from '../support/api';
import { tempDirs } from './support/engine';
import { fileSizeLimit, hardFileSizeLimit, liveLogSize, startEngineProcess } from './support/limitedEngine';

/**
 * Review R. The engine of diskFull.test.ts, with joins arriving together when the disk fills. A command whose
 * event was already saved when another write failed gets 503 "nothing was written" (its later writes, e.g. the
 * idempotency record's completion, are refused by the fail-stop), yet its event is in the log after the restart.
 */
describe('joins arriving together as the disk fills', () => {
  const tempDir = tempDirs();

  it('a join answered "nothing was written" is not in the log after the restart', async () => {
    const dataDir = tempDir('disk-full-rush-');
    let engine = await startEngineProcess(dataDir);
    const answers = new Map<string, { status: number; message?: string }>();
    try {
      const tokenFor = async (sub: string, role: 'kj' | 'singer') =>
        (await requestJson(engine.url, 'POST', '/dev/token', { body: { sub, name: sub, role } })).body.token as string;
      const kj = await tokenFor('kj-ann', 'kj');
      // Eight rotations, as at eight venues' worth of phones: commands on different streams run side by side.
      const rotations: string[] = [];
      for (let r = 0; r < 8; r++) {
        const opened = await requestJson(engine.url, 'POST', '/rotations', { token: kj, body: { venue: `Full Disk Bar ${r}`, settings: { autoAdvance: false } } });
        rotations.push(opened.body.rotationId as string);
      }
      const rotationOf = (singerId: string) => rotations[Number(singerId.slice(1)) % rotations.length]!;
      const singers: string[] = [];
      // The disk has room for some more records: rounds of forty joins sent at once, until one round fills it.
      fileSizeLimit(engine.child.pid!, String(liveLogSize(dataDir) + 20_000));
      for (let round = 0; round < 20 && ![...answers.values()].some((a) => a.status === 503); round++) {
        const batch = Array.from({ length: 40 }, (_, i) => `s${round * 40 + i}`);
        singers.push(...batch);
        const tokens = new Map(await Promise.all(batch.map(async (s) => [s, await tokenFor(s, 'singer')] as const)));
        await Promise.all(
          batch.map(async (singerId) => {
            const answer = await requestJson(engine.url, 'POST', `/rotations/${rotationOf(singerId)}/singers`, {
              token: tokens.get(singerId)!,
              headers: { 'idempotency-key': `join-${singerId}-0000000000` }, // as the pages send
              body: { displayName: singerId, song: { title: 'Jolene', artist: 'Dolly Parton' } },
            });
            answers.set(singerId, { status: answer.status, message: answer.body?.error?.message });
          }),
        );
      }
      fileSizeLimit(engine.child.pid!, hardFileSizeLimit(engine.child.pid!));

      engine.child.kill('SIGTERM');
      await engine.stopped;
      engine = await startEngineProcess(dataDir);
      const kjAgain = await tokenFor('kj-ann', 'kj');
      const joined: string[] = [];
      for (const rotationId of rotations) {
        const events = await requestJson(engine.url, 'GET', `/rotations/${rotationId}/events`, { token: kjAgain });
        joined.push(...events.body.events.filter((e: { type: string }) => e.type === 'SingerJoined').map((e: { data: { singerId: string } }) => e.data.singerId));
      }

      const toldNothingWritten = singers.filter((s) => /nothing was written/.test(answers.get(s)?.message ?? ''));
      expect(toldNothingWritten.length).toBeGreaterThan(0); // the disk did fill mid-rush
      expect(joined.filter((s) => toldNothingWritten.includes(s))).toEqual([]);
      // and everything acknowledged is kept
      expect(singers.filter((s) => (answers.get(s)?.status ?? 500) < 300 && !joined.includes(s))).toEqual([]);
    } finally {
      engine.child.kill('SIGTERM');
      await engine.stopped;
    }
  });
});
