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
import { parseStreamRecord, sequenceNumberOf } from '../projections/streamRecord';
import { EventTooLargeError, PublishFailedError } from './errors';
import type { EventPublisher } from './publisher';
import { heldCommit } from '../eventstore/heldCommits';

export interface StreamPublisherOptions {
  readonly publisher: EventPublisher;
  /** One line per failed rotation; defaults to stderr. */
  readonly log?: (message: string) => void;
}

type ReadRecord =
  | { readonly kind: 'commit'; readonly commit: StoredCommit }
  | { readonly kind: 'skip' }
  | { readonly kind: 'malformed'; readonly streamId: string | undefined; readonly error: Error };

const readRecord = (record: DynamoDBRecord): ReadRecord => {
  // Made in this process: the commit itself, without reading (or making) the image.
  const held = heldCommit(record);
  if (held) return { kind: 'commit', commit: held };
  if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return { kind: 'skip' };
  const parsed = parseStreamRecord(record);
  if (parsed.kind === 'malformed') return parsed;
  return parsed.kind === 'commit' ? parsed : { kind: 'skip' };
};

/**
 * The commit a stream record carries (NEW_IMAGE of an INSERT), or null for anything else. An image that holds
 * no commit throws; the handler reports it as a failed record (Lambda retries it) rather than skipping it unpublished.
 */
export const commitOfRecord = (record: DynamoDBRecord): StoredCommit | null => {
  const read = readRecord(record);
  if (read.kind === 'malformed') throw read.error;
  return read.kind === 'commit' ? read.commit : null;
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
    // A malformed record is reported, and so is every later record of its rotation, so nothing of that rotation
    // overtakes it; one that does not say its rotation could be any, so every record after it waits too. Records
    // before it, and other rotations', still go out (thrown, it failed the whole batch and with bisection could
    // park a good record in the DLQ beside it).
    const heldBack = new Set<string>();
    const heldStreams = new Set<string>();
    let holdAll = false;
    for (const record of event.Records) {
      const itemIdentifier = sequenceNumberOf(record);
      const read = readRecord(record);
      const streamId = read.kind === 'commit' ? read.commit.streamId : read.kind === 'malformed' ? read.streamId : undefined;
      if (holdAll || (streamId !== undefined && heldStreams.has(streamId))) {
        heldBack.add(itemIdentifier);
        continue;
      }
      if (read.kind === 'malformed') {
        log(`[publisher] ${streamId ?? 'a record naming no stream'}: ${read.error.message}; retrying from it`);
        heldBack.add(itemIdentifier);
        if (streamId === undefined) holdAll = true;
        else heldStreams.add(streamId);
        continue;
      }
      if (read.kind !== 'commit') continue;
      const items = byStream.get(read.commit.streamId) ?? [];
      items.push({ commit: read.commit, itemIdentifier });
      byStream.set(read.commit.streamId, items);
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
    const reported = new Set([...heldBack, ...failed.flat().map((i) => i.itemIdentifier)]);
    // In batch order: Lambda resumes the shard from the first reported record.
    const inOrder = event.Records.map(sequenceNumberOf).filter((id) => reported.delete(id));
    return { batchItemFailures: inOrder.map((itemIdentifier) => ({ itemIdentifier })) };
  };
