/** npm start stopped while a turn waited: the next start runs that turn's workflow again (its wait did not survive). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine } from '../../src/local/engine';
import { eventually } from './support';

const ACTOR = { id: 'kj-ann', role: 'kj' } as const;
const at = () => new Date().toISOString();

describe('turn workflow across a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rotation-turns-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stops promptly with a waiting turn, resumes it on start without alerting twice, and it ends when the KJ forfeits it', async () => {
    const first = await startEngine({ dataDir, port: 0 });
    const rotationId = 'resume-night';
    const run = (engine: typeof first, command: Record<string, unknown>, id: string, actor: { id: string; role: string } = ACTOR) =>
      engine.service.execute(rotationId, { ...command, actor, at: at() } as never, id);
    // No auto-advance: after the forfeit the engine would call Amy again, a second (right) alert this test is not about.
    await run(first, { type: 'OpenRotation', rotationId, venue: 'Resume Room', settings: { alertAheadTurns: 0, autoAdvance: false } }, 'c1');
    // Amy joins herself: a singer the KJ added would get no alert (API.md "Singers the KJ adds").
    const amy = { id: 'amy', role: 'singer' };
    await run(first, { type: 'JoinRotation', singerId: 'amy', displayName: 'Amy', songId: 's1', song: { title: 'Jolene', artist: 'D' } }, 'c2', amy);
    await run(first, { type: 'CallNext', turnId: 'turn-1' }, 'c3');
    await eventually(async () => expect(first.turns.stepFunctions.waitingTokens()).toHaveLength(1));
    const stopping = Date.now();
    await first.stop();
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(first.turns.stepFunctions.executions()).toEqual([expect.objectContaining({ name: 'turn-1', status: 'aborted' })]);

    const second = await startEngine({ dataDir, port: 0 });
    try {
      expect(second.turns.stepFunctions.executions()).toEqual([expect.objectContaining({ name: 'turn-1', status: 'running' })]);
      await eventually(async () => expect(second.turns.stepFunctions.waitingTokens()).toHaveLength(1));
      await run(second, { type: 'ForfeitTurn', turnId: 'turn-1' }, 'c4');
      await eventually(async () =>
        expect(second.turns.stepFunctions.executions()[0]).toMatchObject({ status: 'succeeded', output: { stage: { outcome: 'forfeited' } } }),
      );
      const outbox = await fetch(`${second.url}/dev/outbox`).then((r) => r.json() as Promise<{ alerts: { turnId: string; kind: string }[] }>);
      expect(outbox.alerts.map((a) => `${a.turnId} ${a.kind}`)).toEqual(['turn-1 up-now']);
    } finally {
      await second.stop();
    }
  });
});
