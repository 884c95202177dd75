/**
 * The one way a stored event becomes a domain event: through an upcast, which brings any stored schema
 * version to the current shape and refuses a type it does not know. The store's readEvents, the command
 * path's fold and the projections all convert here.
 */
import { ROTATION_EVENT_TYPES, type RotationEvent } from '../aggregates/rotation';
import type { DomainEvent } from '../aggregates/decider';
import type { StoredCommit, StoredEvent } from './commit';
import { UnknownEventTypeError } from './errors';

export type Upcast<E extends DomainEvent = DomainEvent> = (event: StoredEvent, commit: StoredCommit) => E;

/** Events whose stored shape is their domain shape (every schema at version 1, any type). */
export const asStored = <E extends DomainEvent = DomainEvent>({ type, data }: StoredEvent): E => ({ type, data }) as E;

const KNOWN_ROTATION_TYPES: ReadonlySet<string> = new Set(ROTATION_EVENT_TYPES);

/** A rotation stream's event; an unknown type is an error, never something to skip. All schemas are v1 so far. */
export const toRotationEvent: Upcast<RotationEvent> = (event, commit) => {
  if (!KNOWN_ROTATION_TYPES.has(event.type)) throw new UnknownEventTypeError(commit.streamId, event.seq, event.type);
  return asStored<RotationEvent>(event);
};

/** The domain events of commits in order, up to event `toSeq` when given (it may fall inside a commit). */
export const eventsOf = <E extends DomainEvent>(
  commits: readonly StoredCommit[],
  upcast: Upcast<E>,
  { toSeq }: { readonly toSeq?: number } = {},
): E[] => {
  const events: E[] = [];
  for (const commit of commits) {
    for (const event of commit.events) {
      if (toSeq !== undefined && event.seq > toSeq) return events;
      events.push(upcast(event, commit));
    }
  }
  return events;
};
