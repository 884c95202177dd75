import { createLocalBus } from '../../src/eventbus/localBus';
import { sealCommit, type StoredCommit } from '../../src/eventstore/commit';
import type { EventStore } from '../../src/eventstore/store';
import { createLocalStepFunctions } from '../../src/local/localStepFunctions';
import { createLocalStreamFeed } from '../../src/local/streamFeed';
import { createRingBuffer } from '../../src/ringBuffer';

/** A process that runs for weeks keeps only the newest of its in-memory records, never all of them. */
const commitAt = (version: number): StoredCommit =>
  sealCommit('rotation#night', version, {
    commandId: `c${version}`,
    actor: { id: 'kj-ann', role: 'kj' },
    at: '2026-11-21T20:00:00.000Z',
    events: [{ seq: version, type: 'SingerWentAway', schemaVersion: 1, data: { singerId: 'amy', reason: 'self' } }],
    prevHash: '0'.repeat(64),
  });

describe('bounded in-memory lists', () => {
  it('a ring buffer keeps the newest entries in order and says how many it let go', () => {
    const evicted: number[] = [];
    const ring = createRingBuffer<number>(3, (n) => evicted.push(n));
    for (let i = 1; i <= 7; i++) ring.push(i);
    expect(ring.toArray()).toEqual([5, 6, 7]);
    expect(evicted).toEqual([1, 2, 3, 4]);
    expect(ring.dropped).toBe(4);
    expect(() => createRingBuffer(0)).toThrow(RangeError);
  });

  it('the stream feed keeps only the newest failed deliveries', async () => {
    const inner = { append: async (_s: string, expected: number) => commitAt(expected + 1) } as unknown as EventStore;
    const feed = createLocalStreamFeed(inner, () => {}, 3);
    feed.subscribe({ name: 'broken', consumer: async () => { throw new Error('down'); } });
    for (let v = 0; v < 6; v++) await feed.store.append('rotation#night', v, commitAt(v + 1));
    await feed.drain();
    expect(feed.failures().map((f) => f.version)).toEqual([4, 5, 6]);
  });

  it('the local bus keeps only the newest dead letters (each is still reported)', async () => {
    const reported: number[] = [];
    const bus = createLocalBus({ maxDeadLetters: 2, retry: { maxAttempts: 1, sleep: async () => {} }, onDeadLetter: (l) => reported.push(l.event.detail.seq) });
    bus.addRule({ name: 'broken', pattern: { source: ['karaoke.rotation'] }, target: async () => { throw new Error('down'); } });
    for (let v = 1; v <= 5; v++) await bus.publish([commitAt(v)]);
    await bus.drain();
    expect(reported).toEqual([1, 2, 3, 4, 5]);
    expect(bus.deadLetters().map((l) => l.event.detail.seq)).toEqual([4, 5]);
  });

  it('local Step Functions forgets the oldest finished executions, never a running one', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const sfn = createLocalStepFunctions({
      definition: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:local:0:function:work', End: true } } },
      tasks: { Work: async (input) => ((input as { hold?: boolean }).hold ? held : undefined) },
      maxFinishedKept: 2,
      log: () => {},
    });
    sfn.startExecution('long', { hold: true });
    for (let i = 1; i <= 5; i++) sfn.startExecution(`quick-${i}`, {});
    const settled = async (names: string[]) => {
      for (let tries = 0; tries < 200 && !names.every((n) => sfn.executions().find((e) => e.name === n)?.status === 'succeeded'); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await settled(['quick-4', 'quick-5']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sfn.executions().map((e) => [e.name, e.status])).toEqual([
      ['long', 'running'],
      ['quick-4', 'succeeded'],
      ['quick-5', 'succeeded'],
    ]);
    release();
    await sfn.stop();
  });
});
