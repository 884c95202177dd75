/**
 * A stream folded up to some version, and an optional in-process cache of them. Commits are immutable and
 * versions contiguous, so a cached fold stays valid forever: catching up is one small Query from its head,
 * instead of re-reading and re-folding the whole night on every command.
 */
import { fold, type Decider, type DomainEvent } from '../aggregates/decider';
import { createBoundedMap } from '../boundedMap';
import { EMPTY_HEAD, headAfter, type StoredCommit, type StreamHead } from './commit';
import { asStored, eventsOf, type Upcast } from './domainEvents';
import type { EventStore } from './store';

export type Folding<E extends DomainEvent, S> = Pick<Decider<unknown, E, S>, 'initialState' | 'evolve' | 'evolveAll'>;

/** The commits of one stream this process has read, from version 1; append-only, shared by its snapshots. */
export class StreamLog<E extends DomainEvent> {
  readonly commits: StoredCommit<E>[] = [];
  private readonly versionByCommandId = new Map<string, number>();

  add(commit: StoredCommit<E>): void {
    const known = this.commits[commit.version - 1];
    if (known) {
      // Two catch-ups raced and read the same commit: it must be the very same commit.
      if (known.hash !== commit.hash) throw new Error(`${commit.streamId}@${commit.version} changed after it was read`);
      return;
    }
    if (commit.version !== this.commits.length + 1) {
      throw new Error(`${commit.streamId}: got version ${commit.version} after ${this.commits.length}`);
    }
    this.commits.push(commit);
    this.versionByCommandId.set(commit.commandId, commit.version);
  }

  versionOf(commandId: string): number | undefined {
    return this.versionByCommandId.get(commandId);
  }
}

/** Immutable: the fold of a stream's first head.version commits. */
export interface StreamSnapshot<E extends DomainEvent, S> {
  readonly streamId: string;
  readonly head: StreamHead;
  readonly state: S;
  readonly log: StreamLog<E>;
}

export const emptySnapshot = <E extends DomainEvent, S>(streamId: string, decider: Folding<E, S>): StreamSnapshot<E, S> => ({
  streamId,
  head: EMPTY_HEAD,
  state: decider.initialState,
  log: new StreamLog<E>(),
});

/** The snapshot after one more commit whose events were already folded into `state`. */
export const advance = <E extends DomainEvent, S>(
  snapshot: StreamSnapshot<E, S>,
  commit: StoredCommit<E>,
  state: S,
): StreamSnapshot<E, S> => {
  snapshot.log.add(commit);
  return { ...snapshot, head: headAfter(commit), state };
};

/** Reads the commits after snapshot.head and folds them in. */
export const catchUp = async <E extends DomainEvent, S>(
  store: EventStore,
  decider: Folding<E, S>,
  snapshot: StreamSnapshot<E, S>,
  upcast: Upcast<E> = asStored,
): Promise<StreamSnapshot<E, S>> => {
  const newer = (await store.readStream(snapshot.streamId, { fromVersion: snapshot.head.version + 1 })) as StoredCommit<E>[];
  if (newer.length === 0) return snapshot;
  // One fold (the decider's fast path when it has one) and one new snapshot however many commits arrived.
  const state = fold(decider, eventsOf(newer, upcast), snapshot.state);
  for (const commit of newer) snapshot.log.add(commit); // after the fold, as advance does: what does not fold is not logged
  return { ...snapshot, head: headAfter(newer.at(-1)!), state };
};

export const loadStream = <E extends DomainEvent, S>(
  store: EventStore,
  decider: Folding<E, S>,
  streamId: string,
): Promise<StreamSnapshot<E, S>> => catchUp(store, decider, emptySnapshot(streamId, decider));

/** The version at which this command id was committed, if it is within the snapshot. */
export const committedVersion = (snapshot: StreamSnapshot<DomainEvent, unknown>, commandId: string): number | undefined => {
  const version = snapshot.log.versionOf(commandId);
  return version !== undefined && version <= snapshot.head.version ? version : undefined;
};

/** State right after `version` (≤ head): the snapshot's own state, or a re-fold of the prefix. */
export const stateAt = <E extends DomainEvent, S>(
  snapshot: StreamSnapshot<E, S>,
  version: number,
  decider: Folding<E, S>,
  upcast: Upcast<E> = asStored,
): S =>
  version === snapshot.head.version
    ? snapshot.state
    : fold(decider, eventsOf(snapshot.log.commits.slice(0, version), upcast));

/** Latest snapshot per stream, least recently used dropped first. Use one cache per decider. */
export interface StreamCache<E extends DomainEvent, S> {
  get(streamId: string): StreamSnapshot<E, S> | undefined;
  /** Keeps the snapshot only if it is ahead of the one held. */
  set(snapshot: StreamSnapshot<E, S>): void;
}

export const createStreamCache = <E extends DomainEvent, S>({ maxStreams = 50 } = {}): StreamCache<E, S> => {
  const snapshots = createBoundedMap<string, StreamSnapshot<E, S>>(maxStreams);
  return {
    get: (streamId) => snapshots.get(streamId),
    set(snapshot) {
      const held = snapshots.peek(snapshot.streamId);
      if (held && held.head.version >= snapshot.head.version) return;
      snapshots.set(snapshot.streamId, snapshot);
    },
  };
};
