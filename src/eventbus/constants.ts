/**
 * Names the CDK app and the local runtime share for the event bus: source, bus name, detail-types and the
 * rule patterns. Defined once here so a rule in AWS and a rule on one machine cannot drift apart.
 */
import type { RotationEventType } from '../aggregates/rotation/events';
import type { EventPattern } from './matcher';

export const EVENT_SOURCE = 'karaoke.rotation';

export const DEFAULT_EVENT_BUS_NAME = 'karaoke-rotation';
/** CDK sets it on the publisher Lambda; absent locally. */
export const EVENT_BUS_NAME_ENV = 'EVENT_BUS_NAME';

export const eventBusName = (env: Readonly<Record<string, string | undefined>> = process.env): string =>
  env[EVENT_BUS_NAME_ENV] || DEFAULT_EVENT_BUS_NAME;

/** The detail-type of a domain event is its type name, so rules read like the domain. */
export const detailTypeFor = <T extends string>(eventType: T): T => eventType;

const types = (...names: RotationEventType[]): string[] => names.map(detailTypeFor);

/** A turn was called: starts the per-turn workflow (which also sends the turn's alerts). */
export const TURN_CALLED_PATTERN = {
  source: [EVENT_SOURCE],
  'detail-type': types('TurnCalled'),
} as const satisfies EventPattern;

/** A called turn started (the singer took the stage): resumes the turn workflow's stage wait. */
export const TURN_STARTED_PATTERN = {
  source: [EVENT_SOURCE],
  'detail-type': types('TurnStarted'),
} as const satisfies EventPattern;

/**
 * Events after which an idle rotation (no open turn) with autoAdvance may now have an eligible singer to call:
 * a newcomer with a song, a song for a singer who had none, a singer back from away. A turn that ends is not
 * here: the turn's own workflow calls the next singer (see TURN_ENDED_PATTERN).
 */
export const ROTATION_MAY_ADVANCE_PATTERN = {
  source: [EVENT_SOURCE],
  'detail-type': types('SingerJoined', 'SongQueued', 'SingerCameBack'),
} as const satisfies EventPattern;

/**
 * A turn ended (completed, forfeited or skipped): releases the waiting turn workflow. Written as "a Turn* event
 * other than the ones that open or start a turn" (AND across two fields, since values within one field OR);
 * test/eventbus/patterns.test.ts pins the exact set, so a new Turn* event type forces a decision here.
 */
export const TURN_ENDED_PATTERN = {
  source: [EVENT_SOURCE],
  'detail-type': [{ prefix: 'Turn' }],
  detail: { type: [{ 'anything-but': types('TurnCalled', 'TurnStarted') }] },
} as const satisfies EventPattern;
