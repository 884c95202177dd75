/**
 * A Map that holds at most `capacity` entries, the least recently used out first: for what a long-running
 * process keeps in memory (folded streams, hot views, verified tokens, rate windows …), which must not grow
 * without bound. Map order is the use order: `get` and `set` move an entry to the newest end. Entries that
 * are `pinned` are passed over when making room, so they may hold the map over its bound until unpinned
 * (`trim` then makes room).
 */
export interface BoundedMap<K, V> {
  get(key: K): V | undefined;
  /** As get, without counting as a use. */
  peek(key: K): V | undefined;
  set(key: K, value: V): void;
  delete(key: K): void;
  readonly size: number;
  /** Drops least recently used, unpinned entries until the map is within its bound. */
  trim(): void;
}

export const createBoundedMap = <K, V>(capacity: number, { pinned }: { pinned?: (key: K) => boolean } = {}): BoundedMap<K, V> => {
  const entries = new Map<K, V>();
  const trim = () => {
    // Deleting while iterating a Map's keys is safe: iteration goes on with the next live key.
    for (const key of entries.keys()) {
      if (entries.size <= capacity) return;
      if (!pinned?.(key)) entries.delete(key);
    }
  };
  return {
    get(key) {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    peek: (key) => entries.get(key),
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > capacity) trim();
    },
    delete: (key) => void entries.delete(key),
    get size() {
      return entries.size;
    },
    trim,
  };
};
