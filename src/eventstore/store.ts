/**
 * The event store port and its base. The base owns every rule of the log (expected versions, no empty
 * commits, commit times, sealing into the hash chain, DynamoDB's item limit, upcasting on read); an adapter
 * (DynamoDB, in-memory) only moves commits in and out, so both behave alike by construction.
 */
import type { DomainEvent } from '../aggregates/decider';
import { GENESIS_HASH, sealCommit, type NewCommit, type StoredCommit } from './commit';
import { commitItemBytes } from './commitItem';
import { asStored, eventsOf, type Upcast } from './domainEvents';
import { MAX_ITEM_BYTES } from './dynamo';
import { CommitTooLargeError, ConcurrencyError } from './errors';

export interface ReadStreamOptions {
  /** First version to return (default 1): lets a caller that already holds a prefix catch up cheaply. */
  readonly fromVersion?: number;
  /** Last version to return (inclusive). */
  readonly toVersion?: number;
  /**
   * The stream as it stood at this time: the commits, in version order, up to (not including) the first
   * one recorded after it. Commit times come from commands, so a prefix is the only state that existed.
   */
  readonly toTime?: string | Date;
}

/** Where to stop reading (each bound optional, the earliest wins). */
export interface ReadEventsOptions {
  /** The stream as of commit `toVersion`. */
  readonly toVersion?: number;
  /** The stream as of event `toSeq` (which may fall inside a commit). */
  readonly toSeq?: number;
  /** The stream as it stood at this time (see ReadStreamOptions.toTime). */
  readonly toTime?: string | Date;
}

export interface EventStore {
  /** Appends at version expectedVersion + 1. Throws ConcurrencyError if that version exists. */
  append(streamId: string, expectedVersion: number, commit: NewCommit): Promise<StoredCommit>;
  /** Commits of one stream in version order (strongly consistent). */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredCommit[]>;
  readCommit(streamId: string, version: number): Promise<StoredCommit | null>;
  /** The stream's domain events (upcast on read), in order, up to a version, an event seq or a time. */
  readEvents(streamId: string, options?: ReadEventsOptions): Promise<DomainEvent[]>;
  /**
   * Every commit of every stream, for rebuilding projections. Order ACROSS streams is arbitrary (table scan
   * order); to apply per stream in version order use listStreamIds + readStream.
   */
  readAll(options?: { pageSize?: number }): AsyncIterable<StoredCommit>;
  /** Ids of all streams (those with a version 1). */
  listStreamIds(options?: { pageSize?: number }): Promise<string[]>;
}

/** What an adapter does: move sealed commits in and out, nothing else. */
export interface EventStoreAdapter {
  /** Writes the commit unless its (streamId, version) exists; false when it does. */
  putIfAbsent(commit: StoredCommit): Promise<boolean>;
  /** Commits with fromVersion ≤ version ≤ toVersion in version order, a page at a time. */
  query(streamId: string, range: { readonly fromVersion?: number; readonly toVersion?: number }): AsyncIterable<readonly StoredCommit[]>;
  get(streamId: string, version: number): Promise<StoredCommit | null>;
  scan(pageSize: number): AsyncIterable<StoredCommit>;
  listStreamIds(pageSize: number): Promise<string[]>;
}

export interface EventStoreOptions {
  /** How stored events become domain events (default: as stored, any type). */
  readonly upcast?: Upcast;
}

export const createEventStore = (adapter: EventStoreAdapter, { upcast = asStored }: EventStoreOptions = {}): EventStore => {
  const append: EventStore['append'] = async (streamId, expectedVersion, commit) => {
    if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
      throw new RangeError(`expectedVersion must be a non-negative integer, got ${expectedVersion}`);
    }
    if (commit.events.length === 0) throw new RangeError('A commit must carry at least one event');
    if (Number.isNaN(Date.parse(commit.at))) throw new RangeError(`Commit time is not ISO-8601: "${commit.at}"`);
    // The hash chain starts at genesis, and only there.
    if ((expectedVersion === 0) !== (commit.prevHash === GENESIS_HASH)) {
      throw new RangeError(`A stream's first commit, and only it, follows the genesis hash (appending at version ${expectedVersion + 1})`);
    }

    const sealed = sealCommit(streamId, expectedVersion + 1, commit);
    // Counted as the table stores it, whichever adapter holds the log now: the limit is the table's.
    const size = commitItemBytes(sealed);
    if (size > MAX_ITEM_BYTES) throw new CommitTooLargeError(streamId, size, MAX_ITEM_BYTES);
    if (!(await adapter.putIfAbsent(sealed))) throw new ConcurrencyError(streamId, expectedVersion);
    return sealed;
  };

  const readStream: EventStore['readStream'] = async (streamId, { fromVersion, toVersion, toTime } = {}) => {
    if (fromVersion !== undefined && toVersion !== undefined && fromVersion > toVersion) return [];
    const until = toTime === undefined ? undefined : new Date(toTime).getTime();
    const commits: StoredCommit[] = [];
    for await (const page of adapter.query(streamId, { fromVersion, toVersion })) {
      for (const commit of page) {
        if (until !== undefined && Date.parse(commit.at) > until) return commits;
        commits.push(commit);
      }
    }
    return commits;
  };

  return {
    append,
    readStream,
    readEvents: async (streamId, { toVersion, toSeq, toTime } = {}) =>
      eventsOf(await readStream(streamId, { toVersion, toTime }), upcast, { toSeq }),
    readCommit: (streamId, version) => adapter.get(streamId, version),
    readAll: ({ pageSize = 100 } = {}) => adapter.scan(pageSize),
    listStreamIds: ({ pageSize = 1000 } = {}) => adapter.listStreamIds(pageSize),
  };
};
