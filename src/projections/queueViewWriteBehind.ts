/**
 * The queue view on one machine, written behind (DESIGN.md "The command path"): each delivered commit is applied
 * to the state held hot at once, so the next read renders it (read-your-writes), while the table's item, which
 * only restarts read here, is written once per burst: at most one write per rotation in flight, the commits
 * that arrive meanwhile (and within `delayMs`) go in the next one. A rush of a hundred commands costs a few
 * writes instead of a hundred gzipped items.
 *
 * Nothing is lost by writing late: a process that stops without flushing leaves the table behind the event
 * table, and the start-up catch-up applies the rest. A write that loses to another writer of the item (a
 * catch-up, another process) reloads it and applies what it lacks (applyCommits); one that fails is retried
 * later, and a poison record is counted and passed over as the stream handler does.
 */
import { createBoundedMap } from '../boundedMap';
import type { StoredCommit } from '../eventstore/commit';
import type { RotationState } from '../aggregates/rotation';
import type { DecidedStates } from '../eventstore/decidedStates';
import type { EventStore } from '../eventstore/store';
import { rotationIdOf } from '../eventstore/tables';
import { applyCommits } from './applyCommits';
import { describeError, ProjectionConflictError } from './errors';
import type { HotQueueViews } from './hotQueueViews';
import { isPoisonRecord, poisonMetricLine, type PoisonRecord } from './poisonRecords';
import { checkpointAfter, type Projection } from './projection';
import { queueStateAfter, type QueueViewPosition } from './queueViewProjection';

/** How long a rotation's new commits wait for more before their write starts (only a restart reads the item). */
export const QUEUE_VIEW_WRITE_DELAY_MS = 1_000;
/** Rotations whose last written position is remembered (the others are read when next written). */
const MAX_WRITTEN_HINTS = 1_000;
/** A failed write is tried again after this, doubling up to the maximum. */
const RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

export interface WrittenBehind extends Projection<QueueViewPosition> {
  /** Writes every rotation's pending commits now and waits for them (shutdown, tests). */
  flush(): Promise<void>;
  /** Rotations with commits not yet in the table. */
  pending(): number;
}

interface Pending {
  /** Where the held state stands: what apply returned last. */
  position: QueueViewPosition;
  /** Commits not yet written, in version order. */
  commits: StoredCommit[];
  /** Ends the current wait early (flush). */
  wake?: () => void;
  writing?: Promise<void>;
  retryMs: number;
}

export interface WriteBehindOptions {
  readonly store: Pick<EventStore, 'readStream'>;
  readonly hot: HotQueueViews;
  readonly delayMs?: number;
  readonly log?: (line: Record<string, unknown>) => void;
  readonly poison?: (record: PoisonRecord) => void;
  /** The states the command path decided (src/eventstore/decidedStates.ts), taken instead of folding again. */
  readonly decided?: DecidedStates<RotationState>;
}

/**
 * The state after `commits` as the command handler decided it, when they follow on from `from` and it noted one
 * for the last of them. Every commit's note is taken, so none lingers.
 */
const decidedAfter = (decided: DecidedStates<RotationState>, from: QueueViewPosition, commits: readonly StoredCommit[]) => {
  let state: RotationState | undefined;
  for (const commit of commits) state = decided.take(commit);
  const first = commits[0]!;
  return first.version === from.version + 1 && first.events[0]!.seq === from.lastSeq + 1 ? state : undefined;
};

export const writeQueueViewBehind = (
  inner: Projection<QueueViewPosition>,
  {
    store,
    hot,
    delayMs = QUEUE_VIEW_WRITE_DELAY_MS,
    log = (line) => console.error(JSON.stringify({ level: 'ERROR', ...line })),
    poison = (record) => console.log(poisonMetricLine(record)),
    decided,
  }: WriteBehindOptions,
): WrittenBehind => {
  const pending = new Map<string, Pending>();
  /** What the table holds, as last written or read (a hint: a stale one costs a reload, never a wrong write). */
  // Bounded like the hot set: a forgotten hint costs one read, a kept one a whole rotation's state.
  const written = createBoundedMap<string, QueueViewPosition>(MAX_WRITTEN_HINTS);

  const write = async (streamId: string, entry: Pending): Promise<void> => {
    const commits = entry.commits;
    entry.commits = [];
    const from = written.get(streamId);
    try {
      const { position } = await applyCommits(inner, store, streamId, commits, from ? { from } : {});
      if (position) written.set(streamId, position);
      else written.delete(streamId); // the table was already past these: whoever wrote it knows where it is
      entry.retryMs = RETRY_MS;
    } catch (err) {
      written.delete(streamId);
      if (isPoisonRecord(err)) {
        // Counted and passed over: it would fail the same way every time (a later write tries it again).
        poison({ projection: inner.name, streamId, sequenceNumber: `${streamId}:${commits[0]!.version}`, ...describeError(err) });
      } else {
        log({ event: 'projection-failed', projection: inner.name, streamId, version: commits.at(-1)!.version, ...describeError(err) });
        entry.commits = [...commits, ...entry.commits];
        entry.retryMs = Math.min(entry.retryMs * 2, MAX_RETRY_MS);
      }
    }
  };

  /** While set (shutdown), writes start at once and a failing one is not waited on again. */
  let flushing = false;

  const sleep = (entry: Pending) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => entry.wake?.(), entry.retryMs > RETRY_MS ? entry.retryMs : delayMs);
      timer.unref();
      entry.wake = () => {
        clearTimeout(timer);
        entry.wake = undefined;
        resolve();
      };
    });

  /** After a short wait, writes the entry's commits, then whatever arrived meanwhile, until none is left. */
  const drainEntry = async (streamId: string, entry: Pending): Promise<void> => {
    for (;;) {
      if (!flushing) await sleep(entry);
      await write(streamId, entry);
      if (entry.commits.length === 0) break;
      if (flushing && entry.retryMs > RETRY_MS) return; // failing: left to the next flush, or the start-up catch-up
    }
    if (pending.get(streamId) === entry) {
      pending.delete(streamId);
      hot.unpin(rotationIdOf(streamId));
    }
  };

  const schedule = (streamId: string, entry: Pending) => {
    if (entry.writing) return;
    entry.writing = drainEntry(streamId, entry).finally(() => (entry.writing = undefined));
  };

  return {
    name: inner.name,
    accepts: (streamId) => inner.accepts(streamId),
    clear: () => inner.clear(),

    async load(streamId) {
      const held = pending.get(streamId);
      if (held) return held.position;
      const loaded = await inner.load(streamId);
      written.set(streamId, loaded);
      return loaded;
    },

    async apply(from, commits) {
      const last = commits.at(-1);
      if (!last) return from;
      const held = pending.get(from.streamId);
      // Only from where the held state stands (a stale position is reloaded by applyCommits, which asks load).
      if (held && held.position.version !== from.version) throw new ProjectionConflictError(inner.name, from.streamId, from.version);
      const { version, lastSeq } = checkpointAfter(from, commits);
      const state = (decided && decidedAfter(decided, from, commits)) ?? queueStateAfter(from, commits);
      const position: QueueViewPosition = { streamId: from.streamId, version, lastSeq, state, parts: from.parts ?? 0 };
      const rotationId = rotationIdOf(from.streamId);
      // Kept hot until written: a view only the table had would be older than what was answered. Pinned first,
      // so a hot set full of pinned views cannot drop this one as it goes in.
      if (!held) hot.pin(rotationId);
      hot.set(rotationId, { state, version, headHash: last.hash });
      if (held) {
        held.position = position;
        held.commits.push(...commits);
        schedule(from.streamId, held);
      } else {
        const entry: Pending = { position, commits: [...commits], retryMs: RETRY_MS };
        pending.set(from.streamId, entry);
        schedule(from.streamId, entry);
      }
      return position;
    },

    async flush() {
      flushing = true;
      try {
        // A few rounds at most: a store that stays unreachable must not hold a shutdown (the catch-up repairs).
        for (let round = 0; round < 3 && pending.size > 0; round++) {
          for (const [streamId, entry] of pending) {
            entry.wake?.();
            schedule(streamId, entry);
          }
          await Promise.all([...pending.values()].map((entry) => entry.writing));
        }
      } finally {
        flushing = false;
      }
    },

    pending: () => pending.size,
  };
};
