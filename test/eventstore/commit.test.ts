import { canonicalJson, commitHash, type StoredCommit } from '../../src/eventstore/commit';
import { commitOfItem, itemOfCommit } from '../../src/eventstore/commitItem';

/** Auditors recompute hashes of commits written long ago: the hashed bytes must never change. */
describe('commit hash', () => {
  const commit = {
    streamId: 'rotation#vector', version: 3, commandId: 'cmd-3', actor: { id: 'kj-1', role: 'kj' }, at: '2025-01-01T20:03:00.000Z',
    events: [
      { seq: 4, type: 'SongQueued', schemaVersion: 1, data: { singerId: 'amy', song: { title: 'Héllo "♪"', artist: 'A\\B' }, tags: [1, null, true, { z: 1, a: 2 }], skipped: undefined } },
      { seq: 5, type: 'Noted', schemaVersion: 1 },
    ],
    prevHash: 'ab'.repeat(32),
  } as unknown as Omit<StoredCommit, 'hash'>;
  // Computed by the first implementation of canonicalJson (map/filter/join), kept as a fixed vector.
  const HASH = '3aed821d6ca6ae1bd7563e594cf05cee7d5477fc42c6ed421603028fb7d5e43b';

  it('hashes a known commit to the same value as ever, before and after a round trip through its stored item', () => {
    expect(commitHash(commit)).toBe(HASH);
    const stored = { ...commit, hash: HASH } as StoredCommit;
    const read = commitOfItem(itemOfCommit(stored));
    expect(read).toEqual(stored);
    expect(commitHash(read)).toBe(HASH);
  });

  it('writes canonical JSON: keys sorted, undefined properties dropped, undefined array elements as null', () => {
    expect(canonicalJson({ b: 1, a: { d: [undefined, 'x'], c: undefined }, '': null })).toBe('{"":null,"a":{"d":[null,"x"]},"b":1}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
  });
});
