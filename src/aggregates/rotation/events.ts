import type { DomainEvent } from '../decider';
import type { RecordedPlacement, RotationSettings } from './settings';
import type { Song } from './types';

/** Event type names: the schema files, the EventBridge detail-types and the projections all key on these. */
export const ROTATION_EVENT_TYPES = [
  'RotationOpened',
  'SingerJoined',
  'SongQueued',
  'SongWithdrawn',
  'SkipRequested',
  'SingerWentAway',
  'SingerCameBack',
  'SingerLeft',
  'SingerMoved',
  'SingerConfirmed',
  'TurnCalled',
  'TurnStarted',
  'TurnCompleted',
  'TurnForfeited',
  'TurnSkipped',
  'RotationClosed',
] as const;
export type RotationEventType = (typeof ROTATION_EVENT_TYPES)[number];

/** Schema version of each event's payload; bump with a new schema file when a payload changes shape. */
export const ROTATION_EVENT_SCHEMA_VERSION = 1;

export interface RotationEventData {
  /** `joinCode` (added 2026-12): the short code phones join by while the rotation is open (API.md "Joining by code"). */
  RotationOpened: { rotationId: string; venue: string; kjId: string; settings: RotationSettings; openedAt: string; joinCode?: string };
  /** `returning`: sang tonight, left, and came back; such a singer goes to the back unless the KJ says `next`. */
  SingerJoined: {
    singerId: string;
    displayName: string;
    songId: string;
    song: Song;
    placement: RecordedPlacement;
    returning: boolean;
    /** Added 2026-12: a KJ added them (API.md "Singers the KJ adds"); no alerts until they confirm. */
    addedByKj?: true;
    /** The song was taken from the KJ's songbook (added 2026-12). */
    bookSongId?: string;
  };
  SongQueued: { singerId: string; songId: string; song: Song; bookSongId?: string };
  SongWithdrawn: { singerId: string; songId: string };
  SkipRequested: { singerId: string };
  SingerWentAway: { singerId: string; reason: 'requested' | 'no-shows' };
  SingerCameBack: { singerId: string };
  SingerLeft: { singerId: string; reason: 'left' | 'removed' };
  SingerMoved: { singerId: string; position: number };
  /** Added 2026-12: a singer the KJ added acted on the rotation from their own sign-in: alerts may go to them now. */
  SingerConfirmed: { singerId: string };
  /** `skipsUsed`: singers passed over because of their skip flag (cleared by this call), for the audit trail. */
  TurnCalled: { turnId: string; singerId: string; songId: string; song: Song; calledAt: string; skipsUsed: string[] };
  TurnStarted: { turnId: string; singerId: string; startedAt: string };
  TurnCompleted: {
    turnId: string;
    singerId: string;
    songId: string;
    song: Song;
    startedAt: string;
    completedAt: string;
    durationSeconds: number;
    /** Added 2026-12: the singer was added by the KJ, not joined by themselves (their history says so). */
    addedByKj?: true;
  };
  TurnForfeited: { turnId: string; singerId: string; songId: string; reason: 'no-show' | 'left' | 'removed' | 'closed' };
  TurnSkipped: { turnId: string; singerId: string; songId: string; reason: 'skip' | 'away' };
  RotationClosed: { closedAt: string };
}

export type RotationEventOf<T extends RotationEventType> = DomainEvent<T, RotationEventData[T]>;
export type RotationEvent = { [T in RotationEventType]: RotationEventOf<T> }[RotationEventType];

export const event = <T extends RotationEventType>(type: T, data: RotationEventData[T]): RotationEventOf<T> => ({
  type,
  data,
});
