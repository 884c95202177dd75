/**
 * Catches every read model up with the event table, from each one's checkpoint: what `npm start` runs before
 * it serves when its last stop was not a clean one (so a crash between an append and its projection loses
 * nothing) and what a rebuild runs after clearing. Per stream: load the checkpoints, read the commits after the
 * lowest, apply them to each. After a clear (`fresh`), nothing is loaded: each stream is read whole and each read
 * model written from it in bulk (Projection.rebuild), about one write per stream and read model.
 */
import type { EventStore } from '../eventstore/store';
import { applyCommits } from './applyCommits';
import { forEachConcurrently } from './concurrency';
import { describeError, ProjectionConflictError } from './errors';
import type { Checkpoint, Projection } from './projection';

export interface CatchUpProgress {
  readonly streamsDone: number;
  readonly streamsTotal: number;
  /** Commits and events read from the event table so far. */
  readonly commits: number;
  readonly events: number;
}

export interface CatchUpFailure {
  readonly projection: string;
  readonly streamId: string;
  readonly code: string;
  readonly message: string;
}

export interface CatchUpReport extends CatchUpProgress {
  /** Commits each read model applied (0 for one already up to date). */
  readonly applied: Readonly<Record<string, number>>;
  /** A stream that fails is reported and the others still caught up. */
  readonly failures: readonly CatchUpFailure[];
  readonly seconds: number;
}

export interface CatchUpOptions {
  readonly store: Pick<EventStore, 'listStreamIds' | 'readStream' | 'readCommit'>;
  // any: each projection keeps its own position type
  readonly projections: readonly Projection<any>[];
  /** Streams in flight at once. */
  readonly concurrency?: number;
  /** Called once the stream list is known and after each stream. */
  readonly onProgress?: (progress: CatchUpProgress) => void;
  /**
   * The read models were just emptied (a rebuild): a projection that can write a stream's read model in bulk
   * (Projection.rebuild) does, from all its commits, without loading a checkpoint.
   */
  readonly fresh?: boolean;
}

export const catchUpProjections = async ({
  store,
  projections,
  concurrency = 8,
  onProgress,
  fresh = false,
}: CatchUpOptions): Promise<CatchUpReport> => {
  const started = performance.now();
  const streamIds = (await store.listStreamIds()).filter((id) => projections.some((p) => p.accepts(id))).sort();
  const applied: Record<string, number> = Object.fromEntries(projections.map((p) => [p.name, 0]));
  const failures: CatchUpFailure[] = [];
  let progress: CatchUpProgress = { streamsDone: 0, streamsTotal: streamIds.length, commits: 0, events: 0 };
  onProgress?.(progress);

  const fail = (projection: string, streamId: string, err: unknown) => void failures.push({ projection, streamId, ...describeError(err) });

  const done = (commits: readonly { events: readonly unknown[] }[]) => {
    progress = {
      ...progress,
      streamsDone: progress.streamsDone + 1,
      commits: progress.commits + commits.length,
      events: progress.events + commits.reduce((n, c) => n + c.events.length, 0),
    };
    onProgress?.(progress);
  };

  /**
   * A fresh stream: read whole, each read model written in bulk where it can be (else the ordinary way). A bulk
   * write may have replaced a live delivery of a commit after those read, so the commits after them are then
   * applied the ordinary way, which puts such a write back (each projection's rebuild says why that suffices).
   */
  // Positions each projection's rebuild returned, whose checkpoints are saved together at the end.
  const rebuilt = new Map<Projection<any>, Checkpoint[]>();

  const rebuildStream = async (streamId: string) => {
    const accepting = projections.filter((p) => p.accepts(streamId));
    let commits: Awaited<ReturnType<typeof store.readStream>> = [];
    try {
      commits = await store.readStream(streamId);
    } catch (err) {
      for (const projection of accepting) fail(projection.name, streamId, err);
      return done(commits);
    }
    const head = commits.at(-1)?.version ?? 0;
    const positions = await Promise.all(
      accepting.map(async (projection) => {
        try {
          if (projection.rebuild && commits.length > 0) {
            try {
              const position = await projection.rebuild(streamId, commits);
              applied[projection.name]! += commits.length;
              rebuilt.set(projection, [...(rebuilt.get(projection) ?? []), position]);
              return { projection, position };
            } catch (err) {
              if (!(err instanceof ProjectionConflictError)) throw err;
            }
          }
          const result = await applyCommits(projection, store, streamId, commits);
          applied[projection.name]! += result.commits;
          return { projection, position: result.position };
        } catch (err) {
          fail(projection.name, streamId, err);
          return undefined;
        }
      }),
    );
    try {
      // Versions have no gaps: whether any commit came after is one key lookup, cheaper than a Query finding none.
      const later = (await store.readCommit(streamId, head + 1)) ? await store.readStream(streamId, { fromVersion: head + 1 }) : [];
      if (later.length > 0) {
        await Promise.all(
          positions.map(async (p) => {
            if (!p) return;
            try {
              const after = await applyCommits(p.projection, store, streamId, later, p.position ? { from: p.position } : {});
              // The checkpoint saved at the end is then where these left it; none when another writer's is
              // further already (these were applied there: nothing left to apply).
              const positions = rebuilt.get(p.projection);
              const at = positions?.findIndex((x) => x.streamId === streamId) ?? -1;
              if (positions && at !== -1) {
                if (after.position) positions[at] = after.position;
                else positions.splice(at, 1);
              }
            } catch (err) {
              fail(p.projection.name, streamId, err);
            }
          }),
        );
      }
    } catch (err) {
      for (const projection of accepting) fail(projection.name, streamId, err);
    }
    done(commits);
  };

  /** The rebuilt streams' checkpoints, after all their data (a crash before leaves them to be applied again). */
  const saveRebuilt = async () => {
    for (const [projection, positions] of rebuilt) {
      try {
        await projection.saveRebuilt?.(positions);
      } catch (err) {
        for (const { streamId } of positions) fail(projection.name, streamId, err);
      }
    }
  };

  await forEachConcurrently(streamIds, concurrency, async (streamId) => {
    if (fresh) return rebuildStream(streamId);
    const loaded = await Promise.all(
      projections
        .filter((p) => p.accepts(streamId))
        .map((projection) => projection.load(streamId).then(
          (from) => ({ projection, from }),
          (err: unknown) => void fail(projection.name, streamId, err),
        )),
    );
    const ready = loaded.filter((x) => x !== undefined);
    let commits: Awaited<ReturnType<typeof store.readStream>> = [];
    try {
      if (ready.length > 0) commits = await store.readStream(streamId, { fromVersion: Math.min(...ready.map((x) => x.from.version)) + 1 });
      await Promise.all(
        ready.map(async ({ projection, from }) => {
          try {
            // Await first: `x += await …` would read x before the wait and lose other streams' counts.
            const result = await applyCommits(projection, store, streamId, commits, { from });
            applied[projection.name]! += result.commits;
          } catch (err) {
            fail(projection.name, streamId, err);
          }
        }),
      );
    } catch (err) {
      for (const { projection } of ready) fail(projection.name, streamId, err);
    }
    done(commits);
  });

  await saveRebuilt();
  return { ...progress, applied, failures, seconds: (performance.now() - started) / 1000 };
};
