/**
 * The DynamoDB Streams consumer that publishes committed events to the bus (Lambda-shaped: the same function
 * runs behind the events table's stream in AWS and on the local stream feed).
 *
 * Per rotation, commits are published in version order; when one fails, it and every later record of that
 * rotation in the batch are reported as batch item failures (ReportBatchItemFailures), so Lambda retries from
 * there and nothing of that rotation overtakes it. Other rotations in the batch go on. A retried batch may
 * re-publish events that went out already: consumers de-duplicate on `detail.seq`.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { StoredCommit } from '../eventstore/commit';
import { parseStreamRecord } from '../projections/streamRecord';
import { EventTooLargeError, PublishFailedError } from './errors';
import type { EventPublisher } from './publisher';
import { heldCommit } from '../eventstore/heldCommits';

export interface StreamPublisherOptions {
  readonly publisher: EventPublisher;
  /** One line per failed rotation; defaults to stderr. */
  readonly log?: (message: string) => void;
}

/**
 * The commit a stream record carries (NEW_IMAGE of an INSERT), or null for anything else. An image that holds
 * no commit fails the batch (Lambda retries it) rather than being skipped unpublished.
 */
export const commitOfRecord = (record: DynamoDBRecord): StoredCommit | null => {
  // Made in this process: the commit itself, without reading (or making) the image.
  const held = heldCommit(record);
  if (held) return held;
  if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return null;
  const parsed = parseStreamRecord(record);
  if (parsed.kind === 'malformed') throw parsed.error;
  return parsed.kind === 'commit' ? parsed.commit : null;
};

interface Item {
  readonly commit: StoredCommit;
  /** Lambda's retry cursor for stream sources is the record's sequence number. */
  readonly itemIdentifier: string;
}

/** Index (into this rotation's commits) of the first commit that was not published. */
const firstUnpublished = (commits: readonly StoredCommit[], err: unknown): number => {
  const seqs =
    err instanceof PublishFailedError
      ? [...err.failed, ...err.notAttempted].map((ref) => ref.seq)
      : err instanceof EventTooLargeError
        ? [err.event.seq]
        : [];
  if (seqs.length === 0) return 0;
  const first = Math.min(...seqs);
  const index = commits.findIndex((c) => c.events.some((e) => e.seq === first));
  return index < 0 ? 0 : index;
};

export const createStreamPublisher = ({ publisher, log = (m) => console.error(m) }: StreamPublisherOptions) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const byStream = new Map<string, Item[]>();
    for (const record of event.Records) {
      const commit = commitOfRecord(record);
      if (!commit) continue;
      const items = byStream.get(commit.streamId) ?? [];
      items.push({ commit, itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? '' });
      byStream.set(commit.streamId, items);
    }

    const failed = await Promise.all(
      [...byStream.entries()].map(async ([streamId, items]) => {
        // A shard delivers in order already; sorting guards against a batch assembled out of order.
        items.sort((a, b) => a.commit.version - b.commit.version);
        const commits = items.map((i) => i.commit);
        try {
          await publisher.publish(commits);
          return [];
        } catch (err) {
          const from = firstUnpublished(commits, err);
          log(`[publisher] ${streamId}: ${(err as Error).message}; retrying from version ${commits[from]!.version}`);
          return items.slice(from);
        }
      }),
    );
    return { batchItemFailures: failed.flat().map(({ itemIdentifier }) => ({ itemIdentifier })) };
  };
