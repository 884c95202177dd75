/**
 * Brings one read model of one stream up to date with some delivered commits: what it already applied is
 * skipped, a gap (commit v delivered while the read model is at v-2) is filled from the event table, and a
 * lost race with a concurrent delivery is settled by reloading the checkpoint and trying again.
 * The stream handler and the start-up catch-up / rebuild share it, so they cannot disagree.
 */
import type { StoredCommit } from '../eventstore/commit';
import type { EventStore } from '../eventstore/store';
import { ProjectionConflictError, StreamGapError } from './errors';
import type { Checkpoint, Projection } from './projection';

export interface AppliedCommits<P extends Checkpoint = Checkpoint> {
  /** Commits applied by this call (0 when all were applied before). */
  readonly commits: number;
  readonly events: number;
  /** Of those, commits that were not delivered and were read from the event table. */
  readonly healed: number;
  /** Where the read model stands after this call, when this call moved it. */
  readonly position?: P;
}

const NOTHING_APPLIED = { commits: 0, events: 0, healed: 0 } as const;

export interface ApplyOptions<P extends Checkpoint> {
  /**
   * A checkpoint the caller just loaded or last wrote (saves a read); reloaded after a conflict, so a stale
   * one costs a retry, never a wrong write.
   */
  readonly from?: P;
  /** Conflicts tolerated before giving up (each means another delivery moved the read model). */
  readonly maxAttempts?: number;
}

export const applyCommits = async <P extends Checkpoint>(
  projection: Projection<P>,
  store: Pick<EventStore, 'readStream'>,
  streamId: string,
  delivered: readonly StoredCommit[],
  { from, maxAttempts = 5 }: ApplyOptions<P> = {},
): Promise<AppliedCommits<P>> => {
  const byVersion = [...new Map(delivered.map((c) => [c.version, c] as const)).values()].sort((a, b) => a.version - b.version);
  let known = from;
  for (let attempt = 1; ; attempt++) {
    const position = known ?? (await projection.load(streamId));
    known = undefined;
    const newer = byVersion.filter((c) => c.version > position.version);
    if (newer.length === 0) return NOTHING_APPLIED;

    const contiguous = newer.every((c, i) => c.version === position.version + 1 + i);
    const commits = contiguous ? newer : await readRange(store, streamId, position.version + 1, newer.at(-1)!.version);
    try {
      const after = await projection.apply(position, commits);
      return {
        position: after,
        commits: commits.length,
        events: commits.reduce((n, c) => n + c.events.filter((e) => e.seq > position.lastSeq).length, 0),
        healed: commits.length - newer.length,
      };
    } catch (err) {
      if (!(err instanceof ProjectionConflictError) || attempt >= maxAttempts) throw err;
    }
  }
};

/** Commits fromVersion..toVersion from the table; all of them, or StreamGapError. */
const readRange = async (
  store: Pick<EventStore, 'readStream'>,
  streamId: string,
  fromVersion: number,
  toVersion: number,
): Promise<StoredCommit[]> => {
  const commits = await store.readStream(streamId, { fromVersion, toVersion });
  const complete = commits.length === toVersion - fromVersion + 1 && commits.every((c, i) => c.version === fromVersion + i);
  if (!complete) throw new StreamGapError(streamId, fromVersion, toVersion);
  return commits;
};
