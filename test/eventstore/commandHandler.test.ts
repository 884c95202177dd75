import { handleCommand, type HandleCommandParams } from '../../src/eventstore/commandHandler';
import { verifyChain } from '../../src/eventstore/commit';
import { createStreamCache } from '../../src/eventstore/loadedStream';
import { ConcurrencyError } from '../../src/eventstore/errors';
import { createMemoryEventStore } from '../../src/eventstore/memoryEventStore';
import { type EventStore } from '../../src/eventstore/store';
import { counterDecider, type CounterCommand, type CounterEvent, type CounterState } from './counterDecider';

// The handler's logic, not storage (test/eventstore/features.ts covers both adapters): one in-memory log.
const shared = createMemoryEventStore();
const store = (): EventStore => shared;

const actor = { id: 'singer-7', role: 'singer' };
const at = '2025-01-01T21:00:00.000Z';
let ids = 0;
const run = (streamId: string, command: CounterCommand, overrides: Partial<HandleCommandParams<CounterCommand, CounterEvent, CounterState>> = {}) =>
  handleCommand({ store: store(), decider: counterDecider(100), streamId, command, commandId: `cmd-${++ids}`, actor, at, ...overrides });

/** A store whose append lets a rival command land first, `times` times. */
const withRival = (inner: EventStore, streamId: string, times: number): EventStore => {
  let left = times;
  return {
    ...inner,
    append: async (...args) => {
      if (left-- > 0) await handleCommand({ store: inner, decider: counterDecider(), streamId, command: { type: 'increment', by: 50 }, commandId: `rival-${left}`, actor, at });
      return inner.append(...args);
    },
  };
};

describe('handleCommand', () => {
  it('appends one commit per command with per-stream event seqs continuing across commits', async () => {
    const first = await run('rotation#seq', { type: 'increment', by: 2 });
    const second = await run('rotation#seq', { type: 'increment', by: 3 });
    expect(first).toMatchObject({ kind: 'accepted', version: 1, replayed: false, state: { value: 2, increments: 1 } });
    expect(second).toMatchObject({ kind: 'accepted', version: 2, replayed: false, state: { value: 5, increments: 2 } });
    const log = await store().readStream('rotation#seq');
    expect(log.flatMap((c) => c.events.map((e) => e.seq))).toEqual([1, 2, 3, 4]);
    expect(log[1]).toMatchObject({ actor, at, prevHash: log[0]!.hash, events: [{ type: 'incremented', schemaVersion: 1, data: { by: 3 } }, { type: 'annotated' }] });
    expect(verifyChain(log)).toBeNull();
  });

  it('returns a rejection as a result and appends nothing', async () => {
    await run('rotation#reject', { type: 'increment', by: 90 });
    const result = await run('rotation#reject', { type: 'increment', by: 20 });
    expect(result).toEqual({ kind: 'rejected', version: 1, rejection: expect.objectContaining({ kind: 'rejection', code: 'over-max' }) });
    expect(await store().readStream('rotation#reject')).toHaveLength(1);
  });

  it('accepts a no-op without appending', async () => {
    await run('rotation#noop', { type: 'increment', by: 4 });
    const result = await run('rotation#noop', { type: 'increment', by: 0 });
    const stored = await store().readStream('rotation#noop');
    expect(stored).toHaveLength(1);
    expect(result).toEqual({ kind: 'accepted', commit: null, version: 1, headHash: stored[0]!.hash, state: { value: 4, increments: 1 }, replayed: false });
  });

  it('returns the first result for a retried command id instead of appending again', async () => {
    const first = await run('rotation#retry', { type: 'increment', by: 5 }, { commandId: 'once' });
    await run('rotation#retry', { type: 'increment', by: 1 });
    const retried = await run('rotation#retry', { type: 'increment', by: 5 }, { commandId: 'once' });
    expect(first.kind === 'accepted' && first.commit).toBeTruthy();
    expect(retried).toEqual({ ...first, replayed: true });
    expect(retried).toMatchObject({ version: 1, state: { value: 5 } }); // the state right after it, not now
    const log = await store().readStream('rotation#retry');
    expect(log.map((c) => c.commandId)).toEqual(['once', expect.stringMatching(/^cmd-/)]);
  });

  it('appends a command sent concurrently many times exactly once', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, () => run('rotation#dupes', { type: 'increment', by: 1 }, { commandId: 'same', maxAttempts: 20 })),
    );
    const log = await store().readStream('rotation#dupes');
    expect(log.map((c) => c.commandId)).toEqual(['same']);
    expect(results.every((r) => r.kind === 'accepted' && r.version === 1 && r.commit?.hash === log[0]!.hash)).toBe(true);
    expect(results.filter((r) => r.kind === 'accepted' && !r.replayed)).toHaveLength(1);
  });

  it('recognises its own commit when the write landed but the response was lost', async () => {
    const inner = store();
    // The append lands, then the caller sees a conflict (as when the SDK retries a timed-out PutItem).
    const lossy: EventStore = {
      ...inner,
      append: async (streamId, expectedVersion, commit) => {
        await inner.append(streamId, expectedVersion, commit);
        throw new ConcurrencyError(streamId, expectedVersion);
      },
    };
    const result = await run('rotation#lost', { type: 'increment', by: 7 }, { store: lossy, commandId: 'lost-response', maxAttempts: 1 });
    expect(result).toMatchObject({ kind: 'accepted', version: 1, replayed: true, state: { value: 7 }, commit: { commandId: 'lost-response' } });
    expect(await inner.readStream('rotation#lost')).toHaveLength(1);
  });

  it('re-decides against the state a rival commit left', async () => {
    const sleeps: number[] = [];
    const result = await run('rotation#rival', { type: 'increment', by: 60 }, {
      store: withRival(store(), 'rotation#rival', 1),
      backoff: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, baseDelayMs: 10 },
    });
    // The rival's +50 landed first; +60 would now exceed 100.
    expect(result).toMatchObject({ kind: 'rejected', version: 1, rejection: { code: 'over-max' } });
    expect(sleeps).toEqual([5]);
  });

  it('gives up with the ConcurrencyError after maxAttempts, backing off with jitter between attempts', async () => {
    const sleeps: number[] = [];
    const error = await run('rotation#busy', { type: 'increment', by: 1 }, {
      store: withRival(store(), 'rotation#busy', 1_000),
      decider: counterDecider(10_000),
      maxAttempts: 4,
      backoff: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, baseDelayMs: 10, maxDelayMs: 30 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ code: 'conflict', streamId: 'rotation#busy', expectedVersion: 3 });
    expect(sleeps).toEqual([5, 10, 15]); // 0.5 × min(30, 10·2^(n-1)); none after the last attempt
    const log = (await store().readStream('rotation#busy')).map((c) => c.commandId);
    expect(log).toHaveLength(4); // the four rivals, not us
    expect(log.every((id) => id.startsWith('rival-'))).toBe(true);
  });

  it('retries lost races for retryForMs of its clock, however many attempts that takes, then gives up', async () => {
    let clock = 0;
    const sleeps: number[] = [];
    const error = await run('rotation#budget', { type: 'increment', by: 1 }, {
      store: withRival(store(), 'rotation#budget', 1_000),
      decider: counterDecider(10_000),
      maxAttempts: Infinity,
      retryForMs: 100,
      backoff: { sleep: async (ms) => void ((clock += ms), sleeps.push(ms)), random: () => 1, baseDelayMs: 10, maxDelayMs: 40, now: () => clock },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(sleeps).toEqual([10, 20, 40, 40]); // 110 ms slept: the fifth loss is the last
    expect(await store().readStream('rotation#budget')).toHaveLength(5);
  });

  it('deciding on the held state: appends without reading first, but a rejection or no-op reads the store before answering', async () => {
    const inner = store();
    const reads: (number | undefined)[] = [];
    const watched: EventStore = { ...inner, readStream: (id, options) => (reads.push(options?.fromVersion), inner.readStream(id, options)) };
    const cache = createStreamCache<CounterEvent, CounterState>();
    const held = { store: watched, cache, decideOnCached: true } as const;
    await run('rotation#held', { type: 'increment', by: 90 }, held);
    expect(reads).toEqual([1]); // nothing held yet: read
    await run('rotation#held', { type: 'increment', by: 5 }, held);
    expect(reads).toEqual([1]); // held: decided and appended without a read
    await run('rotation#held', { type: 'increment', by: 1 }); // another process
    const rejected = await run('rotation#held', { type: 'increment', by: 10 }, held);
    // Rejected on the held state, so it read the newer commit before saying so: the answer is at the real head.
    expect(rejected).toMatchObject({ kind: 'rejected', version: 3, rejection: { code: 'over-max' } });
    expect(reads).toEqual([1, 3]);
  });

  it('with a cache, reads only the commits since its cached head, including ones it did not write', async () => {
    const inner = store();
    const reads: (number | undefined)[] = [];
    const watched: EventStore = { ...inner, readStream: (id, options) => (reads.push(options?.fromVersion), inner.readStream(id, options)) };
    const cache = createStreamCache<CounterEvent, CounterState>();

    await run('rotation#cached', { type: 'increment', by: 1 }, { store: watched, cache });
    await run('rotation#cached', { type: 'increment', by: 2 }); // another writer, no cache
    await run('rotation#cached', { type: 'increment', by: 3 });
    const result = await run('rotation#cached', { type: 'increment', by: 4 }, { store: watched, cache });

    expect(reads).toEqual([1, 2]);
    expect(result).toMatchObject({ kind: 'accepted', version: 4, state: { value: 10, increments: 4 } });
    expect(cache.get('rotation#cached')?.head.version).toBe(4);
    // A retry of a command the cache has seen is answered from it.
    const retried = await run('rotation#cached', { type: 'increment', by: 4 }, { store: watched, cache, commandId: result.kind === 'accepted' ? result.commit!.commandId : '' });
    expect(retried).toMatchObject({ kind: 'accepted', version: 4, replayed: true });
    expect(reads).toEqual([1, 2, 5]);
  });
});
