import type { RotationSettings } from './settings';

/** `system` is the turn workflow acting on the rotation's behalf (no-shows, auto-advance). */
export type Role = 'kj' | 'singer' | 'system';
export interface Actor {
  readonly id: string;
  readonly role: Role;
}

export interface Song {
  readonly title: string;
  readonly artist: string;
  readonly key?: number;
}

export interface PendingSong {
  readonly songId: string;
  readonly song: Song;
}

export type SingerStatus = 'active' | 'away';

export interface SingerState {
  readonly singerId: string;
  readonly displayName: string;
  readonly status: SingerStatus;
  /** FIFO: the first is sung next. The song of an open turn is not here. */
  readonly songs: readonly PendingSong[];
  readonly skipNext: boolean;
  readonly turnsCompleted: number;
  readonly consecutiveNoShows: number;
  /** The KJ added them; until `confirmed` (their own first command) they get no alerts. */
  readonly addedByKj?: true;
  readonly confirmed?: true;
}

export type TurnState = 'called' | 'performing';

export interface OpenTurn {
  readonly turnId: string;
  readonly singerId: string;
  readonly songId: string;
  readonly song: Song;
  readonly state: TurnState;
  readonly calledAt: string;
  readonly startedAt: string | null;
}

export interface RotationState {
  readonly status: 'none' | 'open' | 'closed';
  readonly rotationId: string;
  readonly venue: string;
  /** The KJ who opened the rotation: they own it. */
  readonly kjId: string;
  /** The code phones join by, for rotations opened since join codes exist. */
  readonly joinCode?: string;
  readonly settings: RotationSettings;
  /** Circular list of slots; which index comes first is meaningless, `top` marks the start of a round. */
  readonly order: readonly string[];
  readonly top: string | null;
  readonly cursor: string | null;
  readonly singers: Readonly<Record<string, SingerState>>;
  readonly currentTurn: OpenTurn | null;
  /** Everyone called tonight, so a singer who leaves and rejoins cannot cut the line. */
  readonly calledTonight: Readonly<Record<string, true>>;
  readonly completedPerformances: number;
  readonly totalPerformanceSeconds: number;
}

export const isEligible = (singer: Pick<SingerState, 'status' | 'songs'> | undefined): boolean =>
  singer !== undefined && singer.status === 'active' && singer.songs.length > 0;

/**
 * Singer ids are the caller's (a KJ names them): `constructor` or `toString` is an ordinary id, so keyed
 * state is only ever read through own properties, never through the prototype chain.
 */
export const singerOf = (state: Pick<RotationState, 'singers'>, singerId: string): SingerState | undefined =>
  Object.hasOwn(state.singers, singerId) ? state.singers[singerId] : undefined;

export const wasCalledTonight = (state: Pick<RotationState, 'calledTonight'>, singerId: string): boolean =>
  Object.hasOwn(state.calledTonight, singerId) && state.calledTonight[singerId] === true;
