/**
 * The projection port: a read model built from one stream's commits, in version order, each applied once.
 * Where it stands per stream is its checkpoint; every write is conditional on the checkpoint it read, so two
 * deliveries of the same commits (Lambda retries, a restart's catch-up racing the feed) cannot both apply.
 */
import type { StoredCommit } from '../eventstore/commit';

/** How far a read model has applied a stream: the last commit version and the last event seq. */
export interface Checkpoint {
  readonly streamId: string;
  /** 0 when nothing of the stream has been applied. */
  readonly version: number;
  readonly lastSeq: number;
}

export interface Projection<P extends Checkpoint = Checkpoint> {
  /** Stable name: checkpoints, logs and the CLI's report use it. */
  readonly name: string;
  /** Which streams this read model is built from (others are passed over, not failed). */
  accepts(streamId: string): boolean;
  /** The checkpoint of a stream and whatever state applying more commits needs. Strongly consistent. */
  load(streamId: string): Promise<P>;
  /**
   * Applies commits that follow `from` with no gap (from.version + 1, + 2, …); only events with
   * seq > from.lastSeq count. Throws ProjectionConflictError if the stream is no longer at `from`.
   * Returns the position it wrote, which the next apply may start from without a read.
   */
  apply(from: P, commits: readonly StoredCommit[]): Promise<P>;
  /**
   * Optional, for a rebuild into the emptied read model: writes what all of a stream's commits (from version 1)
   * make, as cheaply as it can (no reads, batched where a write may be unconditional), and returns the position.
   * A write it makes unconditionally may replace only a concurrent delivery of a later commit than these, which
   * the rebuild then applies again (catchUp.ts); one that must not be replaced is conditional (conflict: throws
   * ProjectionConflictError, and the rebuild applies the stream the ordinary way). A checkpoint kept apart from
   * the read model is not written here but by saveRebuilt, for many streams at once, after their data.
   */
  rebuild?(streamId: string, commits: readonly StoredCommit[]): Promise<P>;
  /** Writes the checkpoints of positions `rebuild` returned (whatever is stored: one going back is harmless). */
  saveRebuilt?(positions: readonly P[]): Promise<void>;
  /** Deletes everything this read model holds (before a rebuild). Returns the number of items deleted. */
  clear(): Promise<number>;
}

/** Events of the commits that are newer than the checkpoint (lastApplied < seq). */
export const eventsAfter = (from: Checkpoint, commits: readonly StoredCommit[]) => {
  // One array, no per-commit ones: a rebuild passes every event of a night through here once per read model.
  const after: { commit: StoredCommit; event: StoredCommit['events'][number] }[] = [];
  for (const commit of commits) for (const event of commit.events) if (event.seq > from.lastSeq) after.push({ commit, event });
  return after;
};

/** The checkpoint after applying the commits (the last commit's version and last event's seq). */
export const checkpointAfter = (from: Checkpoint, commits: readonly StoredCommit[]): Checkpoint => {
  const last = commits.at(-1);
  if (!last) return from;
  return { streamId: from.streamId, version: last.version, lastSeq: Math.max(from.lastSeq, last.events.at(-1)?.seq ?? 0) };
};
