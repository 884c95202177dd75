import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { StoredCommit } from '../eventstore/commit';
import { itemOfCommit } from '../eventstore/commitItem';
import { holdCommit } from '../eventstore/heldCommits';
import type { EventStore } from '../eventstore/store';
import { EVENTS_TABLE } from '../eventstore/tables';
import { createRingBuffer } from '../ringBuffer';

/** The shape of a Lambda stream consumer: the same handler functions run here and behind DynamoDB Streams. */
export type StreamConsumer = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

export interface StreamSubscription {
  readonly name: string;
  readonly consumer: StreamConsumer;
  /**
   * Awaited consumers finish before append returns (read-your-writes for the queue view on one machine);
   * the others run in the background, in commit order, like Lambda's stream pollers.
   */
  readonly awaited?: boolean;
}

export interface LocalStreamFeed {
  /** The event store whose appends feed the stream; append returns once the awaited consumers have the commit. */
  readonly store: EventStore;
  /**
   * The same store, but append returns as soon as the commit is stored; `delivered(commit)` then says when the
   * awaited consumers have it. A command path holding a stream's one writer appends here, lets the next
   * command go ahead, and answers its caller after `delivered`: commits that pile up meanwhile reach the
   * consumers as one batch, as a shard's records reach a Lambda (read-your-writes holds all the same).
   */
  readonly pipelined: EventStore;
  delivered(commit: StoredCommit): Promise<void>;
  subscribe(subscription: StreamSubscription): void;
  /** Waits for every background delivery made so far (tests, shutdown). */
  drain(): Promise<void>;
  /** Deliveries that failed after their retries; the start-up catch-up applies them from the table. */
  failures(): readonly { name: string; streamId: string; version: number; error: string }[];
}

const MAX_ATTEMPTS = 3;
/** Records per delivery at most, as an event source mapping's BatchSize. */
export const MAX_BATCH = 100;
/** The newest failures are kept for inspection; every one is also logged, and the start-up catch-up repairs them. */
export const MAX_FAILURES_KEPT = 1_000;
let sequence = 0;

/** A committed item as DynamoDB Streams delivers it (NEW_IMAGE). */
export const streamRecordOf = (commit: StoredCommit): DynamoDBRecord => recordOfCommit(commit, false);

/**
 * lazyImage: the image is marshalled only if a consumer reads it; the feed's own consumers take the commit the
 * record holds instead (src/eventstore/heldCommits.ts).
 */
const recordOfCommit = (commit: StoredCommit, lazyImage: boolean): DynamoDBRecord => {
  sequence += 1;
  let image: Record<string, never> | undefined;
  // The item as the table stores it, so a consumer reads the image DynamoDB Streams would deliver.
  const newImage = () => (image ??= itemOfCommit(commit) as never);
  const record: DynamoDBRecord = {
    eventID: `${commit.streamId}:${commit.version}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'local',
    eventSourceARN: `arn:aws:dynamodb:local:000000000000:table/${EVENTS_TABLE.tableName}/stream/local`,
    dynamodb: {
      Keys: { streamId: { S: commit.streamId }, version: { N: String(commit.version) } },
      ...(lazyImage ? {} : { NewImage: newImage() }),
      SequenceNumber: String(sequence).padStart(21, '0'),
      SizeBytes: 0,
      StreamViewType: 'NEW_IMAGE',
    },
  };
  if (lazyImage) Object.defineProperty(record.dynamodb, 'NewImage', { enumerable: true, get: newImage });
  return record;
};

type Failure = { name: string; streamId: string; version: number; error: string };

/**
 * DynamoDB Streams on one machine: each committed item is delivered as a stream record after the append,
 * in commit order, to every subscriber; commits that arrive while a delivery runs go together in the next
 * batch. A consumer's batch item failure or throw is retried, then recorded.
 */
export const createLocalStreamFeed = (
  inner: EventStore,
  log: (message: string) => void = (m) => console.error(m),
  maxFailuresKept = MAX_FAILURES_KEPT,
): LocalStreamFeed => {
  const subscriptions: StreamSubscription[] = [];
  const failed = createRingBuffer<Failure>(maxFailuresKept);

  // One record per commit for every subscriber, carrying the commit itself for the consumers in this process.
  const made = new WeakMap<StoredCommit, DynamoDBRecord>();
  const recordOf = (commit: StoredCommit): DynamoDBRecord => {
    let record = made.get(commit);
    if (!record) made.set(commit, (record = holdCommit(recordOfCommit(commit, true), commit)));
    return record;
  };

  const deliver = async (subscription: StreamSubscription, commits: readonly StoredCommit[]) => {
    const records = commits.map(recordOf);
    let lastError = '';
    let failing: readonly StoredCommit[] = commits;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        const response = await subscription.consumer({ Records: records });
        if (!response || response.batchItemFailures.length === 0) return;
        const reported = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
        failing = commits.filter((_, i) => reported.has(records[i]!.dynamodb!.SequenceNumber!));
        lastError = 'reported a batch item failure';
      } catch (err) {
        failing = commits;
        lastError = (err as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
    for (const commit of failing) {
      failed.push({ name: subscription.name, streamId: commit.streamId, version: commit.version, error: lastError });
      log(`stream consumer ${subscription.name} failed on ${commit.streamId} v${commit.version}: ${lastError}`);
    }
  };

  /** One ordered lane of deliveries (a shard): whatever is queued when a delivery ends goes in the next batch. */
  const lane = (awaited: boolean) => {
    let queue: { commit: StoredCommit; done: () => void }[] = [];
    let running: Promise<void> = Promise.resolve();
    let busy = false;
    const pump = async () => {
      while (queue.length > 0) {
        const batch = queue.slice(0, MAX_BATCH);
        queue = queue.slice(batch.length);
        const commits = batch.map((b) => b.commit);
        for (const s of subscriptions.filter((x) => (x.awaited ?? false) === awaited)) await deliver(s, commits);
        for (const b of batch) b.done();
      }
      busy = false;
    };
    return {
      push(commit: StoredCommit): Promise<void> {
        const done = new Promise<void>((resolve) => queue.push({ commit, done: resolve }));
        if (!busy) {
          busy = true;
          running = pump();
        }
        return done;
      },
      idle: () => running,
    };
  };
  const awaitedLane = lane(true);
  const backgroundLane = lane(false);
  const deliveries = new WeakMap<StoredCommit, Promise<void>>();

  const appendPipelined: EventStore['append'] = async (streamId, expectedVersion, commit) => {
    const stored = await inner.append(streamId, expectedVersion, commit);
    const delivered = awaitedLane.push(stored);
    deliveries.set(stored, delivered);
    // Background consumers (live updates among them) hear of a commit once the read models have it.
    void delivered.then(() => backgroundLane.push(stored));
    return stored;
  };

  return {
    store: {
      ...inner,
      async append(streamId, expectedVersion, commit) {
        const stored = await appendPipelined(streamId, expectedVersion, commit);
        await deliveries.get(stored);
        return stored;
      },
    },
    pipelined: { ...inner, append: appendPipelined },
    delivered: (commit) => deliveries.get(commit) ?? Promise.resolve(),
    subscribe: (subscription) => void subscriptions.push(subscription),
    drain: async () => {
      const idle = () => [awaitedLane.idle(), backgroundLane.idle()];
      let seen: Promise<void>[] = [];
      while (idle().some((p, i) => p !== seen[i])) {
        seen = idle();
        await Promise.all(seen);
        await new Promise((resolve) => setImmediate(resolve)); // let a just-delivered commit reach the background lane
      }
    },
    failures: () => failed.toArray(),
  };
};
