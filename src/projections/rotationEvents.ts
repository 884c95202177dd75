/** Rotation streams and their events as the projections read them. */
import { ROTATION_EVENT_TYPES, type RotationEvent } from '../aggregates/rotation';
import type { StoredCommit, StoredEvent } from '../eventstore/commit';
import { streamIdFor } from '../eventstore/tables';
import { UnknownEventTypeError } from './errors';

const KNOWN_TYPES: ReadonlySet<string> = new Set(ROTATION_EVENT_TYPES);
const ROTATION_STREAM_PREFIX = streamIdFor('');

export const isRotationStream = (streamId: string): boolean =>
  streamId.startsWith(ROTATION_STREAM_PREFIX) && streamId.length > ROTATION_STREAM_PREFIX.length;

/** A stored event as the domain event evolve takes; an unknown type is an error, not something to skip. */
export const toRotationEvent = (commit: StoredCommit, event: StoredEvent): RotationEvent => {
  if (!KNOWN_TYPES.has(event.type)) throw new UnknownEventTypeError(commit.streamId, event.seq, event.type);
  return { type: event.type, data: event.data } as RotationEvent;
};
