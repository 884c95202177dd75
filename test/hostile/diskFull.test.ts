import { requestJson } from '../support/api';
import { tempDirs } from './support/engine';
import { fileSizeLimit, hardFileSizeLimit, liveLogSize, startEngineProcess } from './support/limitedEngine';

/**
 * The laptop's disk fills up mid-night (or a file hits the size limit), then space comes back. LevelDB has by
 * then advanced its log past a record it wrote only in part, and on the next start it drops the rest of that log
 * block as corrupt: commands it acknowledged after the failure vanished at the restart. The engine must instead
 * refuse every change (503, saying why) until it is restarted, so nothing acknowledged is ever lost.
 * The failure is real, made by the OS: the engine runs in a child process whose file size limit (RLIMIT_FSIZE,
 * set with util-linux's prlimit) stops its log file from growing, so its next write fails part-way (EFBIG).
 */
describe('a data folder that cannot be written', () => {
  const tempDir = tempDirs();

  it('acknowledges nothing after a failed write until a restart, and a restart keeps everything acknowledged', async () => {
    const dataDir = tempDir('disk-full-');
    let engine = await startEngineProcess(dataDir);
    const acknowledged: string[] = [];
    try {
      const tokenFor = async (sub: string, role: 'kj' | 'singer') =>
        (await requestJson(engine.url, 'POST', '/dev/token', { body: { sub, name: sub, role } })).body.token as string;
      const kj = await tokenFor('kj-ann', 'kj');
      const opened = await requestJson(engine.url, 'POST', '/rotations', { token: kj, body: { venue: 'Full Disk Bar', settings: { autoAdvance: false } } });
      expect(opened.status).toBe(201);
      const rotationId = opened.body.rotationId as string;
      const join = async (singerId: string) => {
        const answer = await requestJson(engine.url, 'POST', `/rotations/${rotationId}/singers`, {
          token: await tokenFor(singerId, 'singer'),
          body: { displayName: singerId, song: { title: 'Jolene', artist: 'Dolly Parton' } },
        });
        if (answer.status < 300) acknowledged.push(singerId);
        return answer;
      };
      expect((await join('amy')).status).toBe(201);

      // The disk is full: the log may grow by only a part of the next record.
      const hard = hardFileSizeLimit(engine.child.pid!);
      fileSizeLimit(engine.child.pid!, String(liveLogSize(dataDir) + 100));
      const refused = await join('bo');
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('unavailable');
      expect(refused.body.error.message).toMatch(/data folder.*restart/);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);

      // Space is back, but the log is torn: still nothing is acknowledged, reads still work.
      fileSizeLimit(engine.child.pid!, hard);
      for (const singerId of ['cy', 'di', 'ed']) expect((await join(singerId)).status).toBe(503);
      const queue = await requestJson(engine.url, 'GET', `/rotations/${rotationId}/queue`, { token: kj });
      expect(queue.body.singers.map((s: { singerId: string }) => s.singerId)).toEqual(['amy']);

      engine.child.kill('SIGTERM');
      await engine.stopped;
      engine = await startEngineProcess(dataDir);
      const kjAgain = await tokenFor('kj-ann', 'kj');
      const events = await requestJson(engine.url, 'GET', `/rotations/${rotationId}/events`, { token: kjAgain });
      const joined = events.body.events.filter((e: { type: string }) => e.type === 'SingerJoined').map((e: { data: { singerId: string } }) => e.data.singerId);
      expect(joined).toEqual(acknowledged);
      // …and the restarted engine saves again.
      expect((await join('fay')).status).toBe(201);
    } finally {
      engine.child.kill('SIGTERM');
      await engine.stopped;
    }
  });
});
