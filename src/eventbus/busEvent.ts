/**
 * What one domain event looks like on the bus: the same for the EventBridge adapter and the local bus, so a
 * target cannot tell where it runs.
 */
import type { Actor, StoredCommit } from '../eventstore/commit';
import { rotationIdOf } from '../eventstore/tables';
import { EVENT_SOURCE, detailTypeFor } from './constants';
import type { EventRef } from './errors';

/** The `detail` of every event this engine publishes. */
export interface RotationEventDetail<Data = unknown> {
  readonly rotationId: string;
  readonly streamId: string;
  /** Version of the commit that carried the event. */
  readonly version: number;
  /** Per-stream event sequence number: consumers de-duplicate and order on it (EventBridge does neither). */
  readonly seq: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly actor: Actor;
  /** ISO-8601 time of the command, with milliseconds (the envelope's `time` has whole seconds only). */
  readonly at: string;
}

export interface BusEvent {
  readonly source: string;
  readonly detailType: string;
  readonly time: Date;
  readonly detail: RotationEventDetail;
  readonly ref: EventRef;
}

/** One bus event per domain event, in commit order then event order. */
export const busEventsOf = (commits: readonly StoredCommit[]): BusEvent[] =>
  commits.flatMap((commit) => {
    const rotationId = rotationIdOf(commit.streamId);
    return commit.events.map((event) => ({
      source: EVENT_SOURCE,
      detailType: detailTypeFor(event.type),
      time: new Date(commit.at),
      detail: {
        rotationId,
        streamId: commit.streamId,
        version: commit.version,
        seq: event.seq,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        actor: { id: commit.actor.id, role: commit.actor.role },
        at: commit.at,
      },
      ref: { streamId: commit.streamId, seq: event.seq, type: event.type },
    }));
  });

/** PutEvents limits (EventBridge quotas). */
export const MAX_ENTRIES_PER_PUT_EVENTS = 10;
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;

const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/**
 * Entry size as EventBridge counts it ("Calculating PutEvents event entry size"): 14 bytes for Time, plus the
 * UTF-8 bytes of Source, DetailType, Detail and each resource.
 */
export const putEventsEntrySize = (entry: {
  readonly Time?: Date;
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly Resources?: readonly string[];
}): number =>
  (entry.Time ? 14 : 0) +
  utf8Bytes(entry.Source ?? '') +
  utf8Bytes(entry.DetailType ?? '') +
  utf8Bytes(entry.Detail ?? '') +
  (entry.Resources ?? []).reduce((sum, r) => sum + utf8Bytes(r), 0);

/** What EventBridge hands a rule target. */
export interface EventBridgeEnvelope<Detail = RotationEventDetail> {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  /** Whole seconds, as EventBridge formats it: 2025-01-01T20:00:00Z. */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Detail;
}
