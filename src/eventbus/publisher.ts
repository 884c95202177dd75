/**
 * The publish port (DynamoDB Streams handler and local stream feed → bus) and its EventBridge adapter.
 *
 * Order: events go out in commit order, in sequential PutEvents calls of at most 10 entries; a batch (with its
 * retries) finishes before the next one is sent, and if it still fails nothing after it is sent. Within a
 * batch, only failed entries are retried, so a retried entry may arrive after a later one that succeeded.
 * That is acceptable because EventBridge itself guarantees no delivery order: consumers order and
 * de-duplicate on `detail.seq` (the stream trigger may also re-publish a batch after a failure).
 */
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { StoredCommit } from '../eventstore/commit';
import { jitteredDelayMs, sleepMs, type BackoffOptions } from './backoff';
import { MAX_ENTRIES_PER_PUT_EVENTS, MAX_PUT_EVENTS_BYTES, busEventsOf, putEventsEntrySize, type BusEvent } from './busEvent';
import { DEFAULT_EVENT_BUS_NAME } from './constants';
import { EventTooLargeError, PublishFailedError, type EventRef, type FailedEntry } from './errors';

export interface EventPublisher {
  /** Publishes every event of the commits, in order. Throws PublishFailedError or EventTooLargeError. */
  publish(commits: readonly StoredCommit[]): Promise<void>;
}

export interface EventBridgePublisherOptions {
  readonly client: Pick<EventBridgeClient, 'send'>;
  readonly eventBusName?: string;
  readonly retry?: Partial<BackoffOptions>;
}

const DEFAULT_RETRY: BackoffOptions = {
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 2000,
  sleep: sleepMs,
  random: Math.random,
};

interface PendingEntry {
  readonly entry: PutEventsRequestEntry;
  readonly ref: EventRef;
  readonly size: number;
}

export const toPutEventsEntry = (event: BusEvent, eventBusName: string): PutEventsRequestEntry => ({
  Source: event.source,
  DetailType: event.detailType,
  Detail: JSON.stringify(event.detail),
  EventBusName: eventBusName,
  Time: event.time,
});

/** Refuses an entry EventBridge would refuse, before anything of the publish is sent. */
export const assertEntryFits = (entry: PutEventsRequestEntry, ref: EventRef): number => {
  const size = putEventsEntrySize(entry);
  if (size > MAX_PUT_EVENTS_BYTES) throw new EventTooLargeError(ref, size, MAX_PUT_EVENTS_BYTES);
  return size;
};

/** Consecutive batches of at most 10 entries and 256 KB in total, never reordered. */
const batchesOf = (entries: readonly PendingEntry[]): PendingEntry[][] => {
  const batches: PendingEntry[][] = [];
  let current: PendingEntry[] = [];
  let bytes = 0;
  for (const e of entries) {
    if (current.length === MAX_ENTRIES_PER_PUT_EVENTS || (current.length > 0 && bytes + e.size > MAX_PUT_EVENTS_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += e.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

export const createEventBridgePublisher = ({
  client,
  eventBusName = DEFAULT_EVENT_BUS_NAME,
  retry = {},
}: EventBridgePublisherOptions): EventPublisher => {
  const backoff: BackoffOptions = { ...DEFAULT_RETRY, ...retry };

  /** Sends one batch until every entry is accepted; returns what still failed after the last attempt. */
  const sendBatch = async (batch: readonly PendingEntry[]): Promise<{ failed: FailedEntry[]; cause?: unknown }> => {
    let pending = batch;
    let failed: FailedEntry[] = [];
    let cause: unknown;
    for (let attempt = 1; attempt <= backoff.maxAttempts; attempt++) {
      if (attempt > 1) await backoff.sleep(jitteredDelayMs(backoff, attempt - 1));
      try {
        const result = await client.send(new PutEventsCommand({ Entries: pending.map((p) => p.entry) }));
        // Result entries line up with request entries by index; a failed one has an ErrorCode.
        const results = result.Entries ?? [];
        failed = [];
        const retryNext: PendingEntry[] = [];
        pending.forEach((p, i) => {
          const r = results[i];
          if (r && !r.ErrorCode) return;
          retryNext.push(p);
          failed.push({ ...p.ref, errorCode: r?.ErrorCode ?? 'MissingResult', ...(r?.ErrorMessage ? { errorMessage: r.ErrorMessage } : {}) });
        });
        pending = retryNext;
        cause = undefined;
      } catch (err) {
        // The whole call failed (the SDK already retried throttling and network errors): retry all of it.
        cause = err;
        failed = pending.map((p) => ({ ...p.ref, errorCode: (err as Error).name || 'Error', errorMessage: (err as Error).message }));
      }
      if (pending.length === 0) return { failed: [] };
    }
    return { failed, cause };
  };

  return {
    publish: async (commits) => {
      const entries = busEventsOf(commits).map((event): PendingEntry => {
        const entry = toPutEventsEntry(event, eventBusName);
        return { entry, ref: event.ref, size: assertEntryFits(entry, event.ref) };
      });
      const batches = batchesOf(entries);
      for (const [i, batch] of batches.entries()) {
        const { failed, cause } = await sendBatch(batch);
        if (failed.length > 0) {
          const notAttempted = batches.slice(i + 1).flatMap((b) => b.map((p) => p.ref));
          throw new PublishFailedError(failed, notAttempted, backoff.maxAttempts, cause === undefined ? undefined : { cause });
        }
      }
    },
  };
};
