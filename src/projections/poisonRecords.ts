/**
 * Poison records: a commit a read model can never apply (its item would not fit, or applying it throws a
 * programming error). Retrying it would hold its whole shard back for a day, every rotation behind it with it.
 * Instead it is logged and counted as the metric below (CloudWatch embedded metric format, from the log line)
 * and passed over; infra alarms on any. Only that rotation's read model stays behind, visibly, until fixed
 * (a later commit, a catch-up or a rebuild applies it from the event table).
 */
import { InvalidEventError } from '../eventstore/eventSchemas';
import { ReadModelTooLargeError } from './errors';

/** The engine's own metrics namespace (infra/constructs/monitoring.ts alarms on these). */
export const ENGINE_METRIC_NAMESPACE = 'KaraokeRotation';
export const PROJECTION_POISON_METRIC = 'ProjectionPoisonRecords';

/** Failures that will fail the same way on every retry. Conflicts, throttling, missing tables, gaps: retried. */
export const isPoisonRecord = (err: unknown): boolean =>
  err instanceof ReadModelTooLargeError ||
  err instanceof InvalidEventError ||
  err instanceof TypeError ||
  err instanceof RangeError ||
  err instanceof SyntaxError;

export interface PoisonRecord {
  readonly projection: string;
  readonly streamId: string;
  readonly sequenceNumber: string;
  readonly code: string;
  readonly message: string;
}

/** One log line that is also one count of the metric (EMF), with the record's details for whoever looks. */
export const poisonMetricLine = (record: PoisonRecord, now = Date.now()): string =>
  JSON.stringify({
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [{ Namespace: ENGINE_METRIC_NAMESPACE, Dimensions: [[]], Metrics: [{ Name: PROJECTION_POISON_METRIC, Unit: 'Count' }] }],
    },
    level: 'ERROR',
    event: 'projection-poison-record',
    Projection: record.projection,
    [PROJECTION_POISON_METRIC]: 1,
    streamId: record.streamId,
    sequenceNumber: record.sequenceNumber,
    code: record.code,
    message: record.message,
  });
