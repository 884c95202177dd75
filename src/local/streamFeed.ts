import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { StoredCommit } from '../eventstore/commit';
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
  /** The event store whose appends feed the stream. */
  readonly store: EventStore;
  subscribe(subscription: StreamSubscription): void;
  /** Waits for every background delivery made so far (tests, shutdown). */
  drain(): Promise<void>;
  /** Deliveries that failed after their retries; the start-up catch-up applies them from the table. */
  failures(): readonly { name: string; streamId: string; version: number; error: string }[];
}

const MAX_ATTEMPTS = 3;
/** The newest failures are kept for inspection; every one is also logged, and the start-up catch-up repairs them. */
export const MAX_FAILURES_KEPT = 1_000;
let sequence = 0;

/** A committed item as DynamoDB Streams delivers it (NEW_IMAGE). */
export const streamRecordOf = (commit: StoredCommit): DynamoDBRecord => {
  sequence += 1;
  return {
    eventID: `${commit.streamId}:${commit.version}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'local',
    eventSourceARN: `arn:aws:dynamodb:local:000000000000:table/${EVENTS_TABLE.tableName}/stream/local`,
    dynamodb: {
      Keys: marshall({ streamId: commit.streamId, version: commit.version }) as never,
      NewImage: marshall(commit, { removeUndefinedValues: true, convertClassInstanceToMap: true }) as never,
      SequenceNumber: String(sequence).padStart(21, '0'),
      SizeBytes: 0,
      StreamViewType: 'NEW_IMAGE',
    },
  };
};

/**
 * DynamoDB Streams on one machine: each committed item is delivered as a stream record after the append,
 * in commit order, to every subscriber; a consumer's batch item failure or throw is retried, then recorded.
 */
export const createLocalStreamFeed = (
  inner: EventStore,
  log: (message: string) => void = (m) => console.error(m),
  maxFailuresKept = MAX_FAILURES_KEPT,
): LocalStreamFeed => {
  const subscriptions: StreamSubscription[] = [];
  const failed = createRingBuffer<{ name: string; streamId: string; version: number; error: string }>(maxFailuresKept);
  let background: Promise<void> = Promise.resolve();

  const deliver = async (subscription: StreamSubscription, commit: StoredCommit) => {
    const event: DynamoDBStreamEvent = { Records: [streamRecordOf(commit)] };
    let lastError = '';
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        const response = await subscription.consumer(event);
        if (!response || response.batchItemFailures.length === 0) return;
        lastError = 'reported a batch item failure';
      } catch (err) {
        lastError = (err as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
    failed.push({ name: subscription.name, streamId: commit.streamId, version: commit.version, error: lastError });
    log(`stream consumer ${subscription.name} failed on ${commit.streamId} v${commit.version}: ${lastError}`);
  };

  const store: EventStore = {
    ...inner,
    async append(streamId, expectedVersion, commit) {
      const stored = await inner.append(streamId, expectedVersion, commit);
      for (const s of subscriptions.filter((x) => x.awaited)) await deliver(s, stored);
      const rest = subscriptions.filter((x) => !x.awaited);
      // One chain keeps commit order for background consumers, as a shard does.
      background = background.then(async () => {
        for (const s of rest) await deliver(s, stored);
      });
      return stored;
    },
  };

  return {
    store,
    subscribe: (subscription) => void subscriptions.push(subscription),
    drain: async () => {
      let seen: Promise<void> | undefined;
      while (seen !== background) {
        seen = background;
        await seen;
      }
    },
    failures: () => failed.toArray(),
  };
};
