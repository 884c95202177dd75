/**
 * The event store's in-memory adapter, for tests and tools that do not test storage. Commits are kept as
 * JSON text, so a reader never shares objects with the writer and an undefined field is dropped as
 * DynamoDB's document client drops it: what goes in comes out as it would from the table.
 */
import type { StoredCommit } from './commit';
import { createEventStore, type EventStore, type EventStoreAdapter, type EventStoreOptions } from './store';

export const memoryEventStoreAdapter = (): EventStoreAdapter => {
  /** Per stream, the JSON of version i + 1 at index i. */
  const streams = new Map<string, string[]>();

  return {
    async putIfAbsent(commit) {
      const stored = streams.get(commit.streamId) ?? [];
      if (stored[commit.version - 1] !== undefined) return false;
      // Like the table, a version past the head leaves a gap rather than failing: the base never asks for one.
      stored[commit.version - 1] = JSON.stringify(commit);
      streams.set(commit.streamId, stored);
      return true;
    },
    async *query(streamId, { fromVersion = 1, toVersion = Number.MAX_SAFE_INTEGER }) {
      const stored = streams.get(streamId) ?? [];
      const slice = stored.slice(Math.max(fromVersion, 1) - 1, Math.max(toVersion, 0));
      yield slice.filter((json) => json !== undefined).map((json) => JSON.parse(json) as StoredCommit);
    },
    async get(streamId, version) {
      const json = streams.get(streamId)?.[version - 1];
      return json === undefined ? null : (JSON.parse(json) as StoredCommit);
    },
    async *scan() {
      for (const stored of [...streams.values()]) for (const json of stored) if (json !== undefined) yield JSON.parse(json) as StoredCommit;
    },
    async listStreamIds() {
      return [...streams].filter(([, stored]) => stored[0] !== undefined).map(([streamId]) => streamId);
    },
  };
};

export const createMemoryEventStore = (options: EventStoreOptions = {}): EventStore => createEventStore(memoryEventStoreAdapter(), options);
