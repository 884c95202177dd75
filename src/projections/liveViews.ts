/**
 * After the projector applied a batch: each rotation it moved gets its fresh queue view pushed to its live
 * channel (AWS: AppSync Events), the twin of the local SSE feed pushing a view after every commit.
 *
 * Best effort, after the read models are written: a publish that fails is logged (and alarmed on), never
 * reported as a batch failure, because the read model is already right and a retried batch would skip the
 * applied commits anyway. The next commit to the rotation publishes a whole, current view again.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { QueueViewReader } from './readModels';
import { isRotationStream, rotationIdOf } from '../eventstore/tables';
import { describeError } from './errors';
import type { LiveViewPublisher } from './liveViewPublisher';
import type { ProjectionStreamHandler } from './streamHandler';
import { parseStreamRecord } from './streamRecord';

/** The log line a failed publish writes; the stack's LiveUpdatesNotPublished alarm counts these. */
export const LIVE_PUBLISH_FAILED_EVENT = 'live-publish-failed';

export interface LiveViewsOptions {
  readonly queue: QueueViewReader;
  readonly publisher: LiveViewPublisher;
  readonly now?: () => string;
  readonly log?: (line: Record<string, unknown>) => void;
  /**
   * Time the batch may spend publishing (each publish has its own timeout too): past it, the remaining rotations
   * are logged as not published, so a slow endpoint adds a bounded wait to a batch, well inside the Lambda timeout.
   */
  readonly budgetMs?: number;
  /** Clock of the budget (ms). */
  readonly nowMs?: () => number;
}

export const LIVE_PUBLISH_BUDGET_MS = 10_000;

const defaultLog = (line: Record<string, unknown>) => console.error(JSON.stringify({ level: 'ERROR', ...line }));

/** The rotations whose commits in this batch were applied (at least one not reported as failed). */
const movedRotations = (event: DynamoDBStreamEvent, response: DynamoDBBatchResponse): string[] => {
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  const moved = new Set<string>();
  for (const record of (event.Records ?? []).map(parseStreamRecord)) {
    if (record.kind !== 'commit' || failed.has(record.sequenceNumber)) continue;
    if (isRotationStream(record.commit.streamId)) moved.add(rotationIdOf(record.commit.streamId));
  }
  return [...moved];
};

export const withLiveViews = (
  handler: ProjectionStreamHandler,
  { queue, publisher, now = () => new Date().toISOString(), log = defaultLog, budgetMs = LIVE_PUBLISH_BUDGET_MS, nowMs = Date.now }: LiveViewsOptions,
): ProjectionStreamHandler =>
  async (event) => {
    const response = await handler(event);
    const deadline = nowMs() + budgetMs;
    // One rotation after another, in batch order: a rotation's views reach its channel in commit order.
    for (const rotationId of movedRotations(event, response)) {
      if (nowMs() >= deadline) {
        log({ event: LIVE_PUBLISH_FAILED_EVENT, rotationId, code: 'live-publish-skipped', message: `not published: the batch spent its ${budgetMs} ms publish budget` });
        continue;
      }
      try {
        const view = await queue.read(rotationId, now());
        if (view) await publisher.publish(rotationId, view);
      } catch (err) {
        log({ event: LIVE_PUBLISH_FAILED_EVENT, rotationId, ...describeError(err) });
      }
    }
    return response;
  };
