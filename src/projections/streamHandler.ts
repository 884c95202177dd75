/**
 * The projections' DynamoDB Streams consumer (Lambda-shaped; the local stream feed calls the same function).
 *
 * Records are grouped per stream and each group is applied in one write per read model. A failure is
 * reported as batch item failures so Lambda retries only from there, and per-stream order holds: once a
 * record of a stream fails, no later record of that stream in the batch is applied, and all of them are
 * reported (Lambda resumes from the lowest reported sequence number; checkpoints skip what was applied).
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { createBoundedMap } from '../boundedMap';
import type { EventStore } from '../eventstore/store';
import { applyCommits } from './applyCommits';
import { forEachConcurrently } from './concurrency';
import { describeError } from './errors';
import type { Checkpoint, Projection } from './projection';
import { parseStreamRecord, type ParsedRecord } from './streamRecord';
import { isPoisonRecord, poisonMetricLine, type PoisonRecord } from './poisonRecords';

export type ProjectionFailureLog = (failure: {
  readonly projection: string | null;
  readonly streamId: string | null;
  readonly sequenceNumber: string;
  readonly code: string;
  readonly message: string;
}) => void;

export interface ProjectionStreamHandlerOptions {
  // any: each projection keeps its own position type
  readonly projections: readonly Projection<any>[];
  /** The event table, read to fill gaps. */
  readonly store: Pick<EventStore, 'readStream'>;
  /** Streams applied at once within a batch. */
  readonly concurrency?: number;
  /** Positions remembered between batches (per projection), so the next commit needs no read first. */
  readonly rememberStreams?: number;
  readonly log?: ProjectionFailureLog;
  /** Where a poison record is counted (default: its EMF log line on stdout). */
  readonly poison?: (record: PoisonRecord) => void;
}

export type ProjectionStreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

const defaultLog: ProjectionFailureLog = (failure) => console.error(JSON.stringify({ level: 'ERROR', event: 'projection-failed', ...failure }));

const streamOf = (record: ParsedRecord): string | undefined => (record.kind === 'commit' ? record.commit.streamId : record.streamId);

export const createProjectionStreamHandler = ({
  projections,
  store,
  concurrency = 8,
  rememberStreams = 1000,
  log = defaultLog,
  poison = (record) => console.log(poisonMetricLine(record)),
}: ProjectionStreamHandlerOptions): ProjectionStreamHandler => {
  // The last position written per (projection, stream), least recently used forgotten first.
  const positions = createBoundedMap<string, Checkpoint>(Math.max(0, rememberStreams));

  /** Applies one stream's records to every read model; returns the index of the first record not applied, or -1. */
  const applyStream = async (streamId: string, records: readonly ParsedRecord[]): Promise<number> => {
    const firstMalformed = records.findIndex((r) => r.kind === 'malformed');
    const applicable = firstMalformed === -1 ? records : records.slice(0, firstMalformed);
    const commits = applicable.flatMap((r) => (r.kind === 'commit' ? [r.commit] : []));
    let failedFrom = firstMalformed;
    if (firstMalformed !== -1) {
      const r = records[firstMalformed] as Extract<ParsedRecord, { kind: 'malformed' }>;
      log({ projection: null, streamId, sequenceNumber: r.sequenceNumber, code: r.error.code, message: r.error.message });
    }
    if (commits.length === 0) return failedFrom;
    // The read models are independent: they apply side by side, and one failing does not stop the others
    // (the retry skips what they did).
    await Promise.all(
      projections.filter((p) => p.accepts(streamId)).map(async (projection) => {
        const key = `${projection.name}\u0000${streamId}`;
        // A remembered position is only a hint: a stale one fails its conditional write and is reloaded. It is
        // used only when a commit is newer than it, so a duplicate delivery is always checked against the table.
        const known = positions.get(key);
        const from = known && commits.some((c) => c.version > known.version) ? known : undefined;
        try {
          const { position } = await applyCommits(projection, store, streamId, commits, from ? { from } : {});
          if (position) positions.set(key, position);
        } catch (err) {
          positions.delete(key);
          if (isPoisonRecord(err)) {
            // Counted and passed over: retrying would fail the same way and hold back every stream of the shard.
            poison({ projection: projection.name, streamId, sequenceNumber: applicable[0]!.sequenceNumber, ...describeError(err) });
            return;
          }
          failedFrom = 0;
          log({ projection: projection.name, streamId, sequenceNumber: applicable[0]!.sequenceNumber, ...describeError(err) });
        }
      }),
    );
    return failedFrom;
  };

  return async (event) => {
    const records = (event.Records ?? []).map(parseStreamRecord);
    const failed = new Set<string>();
    const reportFrom = (list: readonly ParsedRecord[]) => list.forEach((r) => failed.add(r.sequenceNumber));

    // A record that does not even say its stream could belong to any: it and everything after it wait.
    const blind = records.findIndex((r) => streamOf(r) === undefined);
    if (blind !== -1) {
      const r = records[blind]!;
      if (r.kind === 'malformed') log({ projection: null, streamId: null, sequenceNumber: r.sequenceNumber, code: r.error.code, message: r.error.message });
      reportFrom(records.slice(blind));
    }

    const byStream = new Map<string, ParsedRecord[]>();
    for (const r of blind === -1 ? records : records.slice(0, blind)) {
      const streamId = streamOf(r)!;
      byStream.set(streamId, [...(byStream.get(streamId) ?? []), r]);
    }
    await forEachConcurrently([...byStream], concurrency, async ([streamId, streamRecords]) => {
      const failedFrom = await applyStream(streamId, streamRecords);
      if (failedFrom !== -1) reportFrom(streamRecords.slice(failedFrom));
    });

    // In batch order, so the lowest sequence number comes first; a repeated record is reported once.
    const reported = [...new Set(records.map((r) => r.sequenceNumber).filter((n) => failed.has(n)))];
    return { batchItemFailures: reported.map((itemIdentifier) => ({ itemIdentifier })) };
  };
};
