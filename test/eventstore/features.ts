/**
 * The event store's behaviour, written once and run against every adapter (as Emmett's features.ts is):
 * each adapter's test file calls eventStoreFeatures with a way to make a fresh store.
 */
import { GENESIS_HASH, commitHash, verifyChain, type NewCommit, type StoredCommit } from '../../src/eventstore/commit';
import { MAX_ITEM_BYTES } from '../../src/eventstore/dynamo';
import { CommitTooLargeError, ConcurrencyError } from '../../src/eventstore/errors';
import type { EventStore } from '../../src/eventstore/store';

export const actor = { id: 'kj-1', role: 'kj' };
export const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 20, minute)).toISOString();

/** Appends n one-event commits to a stream the way the command handler would (seq and prevHash chained). */
export const appendMany = async (s: EventStore, streamId: string, n: number): Promise<StoredCommit[]> => {
  const commits: StoredCommit[] = [];
  for (let i = 0; i < n; i++) {
    const prev = commits.at(-1);
    const commit: NewCommit = {
      commandId: `${streamId}-cmd-${i + 1}`,
      actor,
      at: at(i),
      events: [{ seq: i + 1, type: 'incremented', schemaVersion: 1, data: { by: i + 1, note: 'é ♪', nested: { list: [1, true, null] } } }],
      prevHash: prev?.hash ?? GENESIS_HASH,
    };
    commits.push(await s.append(streamId, i, commit));
  }
  return commits;
};

const one = (overrides: Partial<NewCommit> = {}): NewCommit => ({
  commandId: 'c', actor, at: at(0), prevHash: GENESIS_HASH,
  events: [{ seq: 1, type: 'incremented', schemaVersion: 1, data: { by: 1 } }],
  ...overrides,
});

/** `store` is called once per test, after the adapter's setup hooks ran; streams are named per test. */
export const eventStoreFeatures = (store: () => EventStore): void => {
  it('reads back exactly what it appended, in version order, with a hash an auditor can recompute', async () => {
    const written = await appendMany(store(), 'rotation#round-trip', 5);
    const s = store();
    const read = await s.readStream('rotation#round-trip');
    expect(read).toEqual(written);
    expect(read.map((c) => c.version)).toEqual([1, 2, 3, 4, 5]);
    expect(read.every((c) => commitHash(c) === c.hash)).toBe(true);
    expect(verifyChain(read)).toBeNull();
    expect(await s.readCommit('rotation#round-trip', 3)).toEqual(written[2]);
    expect(await s.readCommit('rotation#round-trip', 6)).toBeNull();
    expect(await s.readStream('rotation#never-written')).toEqual([]);
  });

  it('drops undefined fields on the way in, so a commit hashes the same after reading back', async () => {
    const s = store();
    const written = await s.append('rotation#undefined', 0, one({ events: [{ seq: 1, type: 'noted', schemaVersion: 1, data: { kept: 1, dropped: undefined } }] }));
    const [read] = await s.readStream('rotation#undefined');
    expect(read!.events[0]!.data).toEqual({ kept: 1 });
    expect(Object.keys(read!.events[0]!.data as object)).toEqual(['kept']);
    expect(commitHash(read!)).toBe(written.hash);
  });

  it('hands out copies: changing what was read or written changes nothing stored', async () => {
    const s = store();
    const commit = one({ events: [{ seq: 1, type: 'noted', schemaVersion: 1, data: { list: [1, 2] } }] });
    const written = structuredClone(await s.append('rotation#copies', 0, commit));
    ((commit.events[0]!.data as { list: number[] }).list).push(3);
    const [read] = await s.readStream('rotation#copies');
    ((read!.events[0]!.data as { list: number[] }).list).push(4);
    expect((await s.readStream('rotation#copies'))[0]).toEqual(written);
    expect(verifyChain(await s.readStream('rotation#copies'))).toBeNull();
  });

  it('reads a stream as it stood at a version or a time', async () => {
    await appendMany(store(), 'rotation#as-of', 6);
    const s = store();
    const versions = async (options: Parameters<EventStore['readStream']>[1]) => (await s.readStream('rotation#as-of', options)).map((c) => c.version);
    expect(await versions({ toVersion: 4 })).toEqual([1, 2, 3, 4]);
    expect(await versions({ fromVersion: 3 })).toEqual([3, 4, 5, 6]);
    expect(await versions({ fromVersion: 2, toVersion: 3 })).toEqual([2, 3]);
    expect(await versions({ fromVersion: 4, toVersion: 3 })).toEqual([]);
    expect(await versions({ fromVersion: 7 })).toEqual([]);
    // Commit i was at minute i-1: at 20:02:30 three commits existed.
    expect(await versions({ toTime: '2025-01-01T20:02:30Z' })).toEqual([1, 2, 3]);
    expect(await versions({ toTime: new Date(Date.UTC(2025, 0, 1, 20, 2)) })).toEqual([1, 2, 3]);
    expect(await versions({ toTime: '2025-01-01T19:00:00Z' })).toEqual([]);
    expect(await versions({ fromVersion: 2, toTime: '2025-01-01T20:02:30Z' })).toEqual([2, 3]);
  });

  it('refuses an append at a version that already exists, and leaves the stream as it was', async () => {
    const s = store();
    const [first] = await appendMany(s, 'rotation#conflict', 1);
    const error = await s.append('rotation#conflict', 0, one({ commandId: 'rival', at: at(9) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ code: 'conflict', streamId: 'rotation#conflict', expectedVersion: 0 });
    expect(await s.readStream('rotation#conflict')).toEqual([first]);
  });

  it('lets exactly one of many racing appends at the same version win', async () => {
    const s = store();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => s.append('rotation#race', 0, one({ commandId: `racer-${i}` }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(lost.every((r) => r.reason instanceof ConcurrencyError)).toBe(true);
    expect(await s.readStream('rotation#race')).toHaveLength(1);
  });

  it('refuses a bad expected version, an empty commit, a time that is not ISO-8601 and a broken chain start, writing nothing', async () => {
    const s = store();
    await expect(s.append('rotation#checks', -1, one())).rejects.toThrow(RangeError);
    await expect(s.append('rotation#checks', 0.5, one())).rejects.toThrow(/non-negative integer/);
    await expect(s.append('rotation#checks', 0, one({ events: [] }))).rejects.toThrow(/at least one event/);
    await expect(s.append('rotation#checks', 0, one({ at: 'yesterday' }))).rejects.toThrow(/ISO-8601/);
    await expect(s.append('rotation#checks', 0, one({ prevHash: 'f'.repeat(64) }))).rejects.toThrow(/genesis/);
    const [first] = await appendMany(s, 'rotation#checks-2', 1);
    await expect(s.append('rotation#checks-2', 1, one({ prevHash: GENESIS_HASH }))).rejects.toThrow(/genesis/);
    expect(await s.readStream('rotation#checks-2')).toEqual([first]);
    expect(await s.readStream('rotation#checks')).toEqual([]);
    expect(await s.listStreamIds()).not.toContain('rotation#checks');
  });

  it('refuses a commit over 400 KB before writing, and accepts one just under', async () => {
    const s = store();
    const commit = (note: string) => one({ commandId: 'huge', events: [{ seq: 1, type: 'annotated', schemaVersion: 1, data: { note } }] });
    const error = await s.append('rotation#huge', 0, commit('♪'.repeat(140_000))).catch((e: unknown) => e); // 3 bytes each in UTF-8
    expect(error).toBeInstanceOf(CommitTooLargeError);
    expect(error).toMatchObject({ code: 'commit-too-large', limitBytes: MAX_ITEM_BYTES });
    expect((error as CommitTooLargeError).sizeBytes).toBeGreaterThan(420_000);
    expect((error as Error).message).toMatch(/too large .*limit is 400\.0 KB/);
    expect(await s.readStream('rotation#huge')).toEqual([]);

    const fits = await s.append('rotation#huge', 0, commit('a'.repeat(MAX_ITEM_BYTES - 1_000)));
    expect(fits.version).toBe(1);
  });

  it('lists every stream once and reads every commit once', async () => {
    const s = store();
    await appendMany(s, 'rotation#all-a', 3);
    await appendMany(s, 'rotation#all-b', 4);
    const ids = await s.listStreamIds({ pageSize: 1 });
    expect(ids).toEqual(expect.arrayContaining(['rotation#all-a', 'rotation#all-b']));
    expect(new Set(ids).size).toBe(ids.length);
    const all: StoredCommit[] = [];
    for await (const c of s.readAll({ pageSize: 2 })) all.push(c);
    const keys = all.map((c) => `${c.streamId}@${c.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining(['rotation#all-a@1', 'rotation#all-a@3', 'rotation#all-b@4']));
    expect(new Set(all.map((c) => c.streamId))).toEqual(new Set(ids));
  });

  it('verifyChain finds the first edited, re-hashed or missing commit', async () => {
    const commits = await appendMany(store(), 'rotation#audit', 4);
    expect(verifyChain(commits)).toBeNull();

    const edited = commits.map((c) => ({ ...c }));
    edited[1] = { ...edited[1]!, events: [{ ...edited[1]!.events[0]!, data: { by: 1000 } }] };
    expect(verifyChain(edited)).toBe(edited[1]);

    // A forger who also recomputes the edited commit's hash breaks the next commit's prevHash.
    const rehashed = commits.map((c) => ({ ...c }));
    const forged = { ...rehashed[1]!, actor: { id: 'someone-else', role: 'kj' } };
    rehashed[1] = { ...forged, hash: commitHash(forged) };
    expect(verifyChain(rehashed)).toBe(rehashed[2]);

    const missing = [commits[0]!, commits[2]!, commits[3]!];
    expect(verifyChain(missing)).toBe(commits[2]);
  });
};
