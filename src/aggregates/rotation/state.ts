/**
 * The initial state, and the copies evolve makes new states from. A copy writes every field out in one order
 * instead of spreading: all states then share a few hidden classes, and V8 builds such a literal many times
 * faster than it spreads a 13-field object (bench:fold). The caller sets the changed fields on the copy before
 * anyone else sees it (setting them through a `change` object instead costs ~5× more: its many shapes make every
 * read of it megamorphic). Optional fields stay absent when unset, as with spreads, so states compare equal to
 * the ones stored before.
 */
import { DEFAULT_SETTINGS } from './settings';
import type { RotationState, SingerState } from './types';

/** A state or singer being built by one evolve step: writable until it is returned. */
export type Draft<T> = { -readonly [K in keyof T]: T[K] };

export const initialRotationState: RotationState = {
  status: 'none',
  rotationId: '',
  venue: '',
  kjId: '',
  settings: DEFAULT_SETTINGS,
  order: [],
  top: null,
  cursor: null,
  singers: {},
  currentTurn: null,
  calledTonight: {},
  completedPerformances: 0,
  totalPerformanceSeconds: 0,
};

export const copyState = (state: RotationState): Draft<RotationState> => {
  const next: Draft<RotationState> = {
    status: state.status,
    rotationId: state.rotationId,
    venue: state.venue,
    kjId: state.kjId,
    settings: state.settings,
    order: state.order,
    top: state.top,
    cursor: state.cursor,
    singers: state.singers,
    currentTurn: state.currentTurn,
    calledTonight: state.calledTonight,
    completedPerformances: state.completedPerformances,
    totalPerformanceSeconds: state.totalPerformanceSeconds,
  };
  if (state.joinCode !== undefined) next.joinCode = state.joinCode;
  return next;
};

export const copySinger = (singer: SingerState): Draft<SingerState> => {
  const next: Draft<SingerState> = {
    singerId: singer.singerId,
    displayName: singer.displayName,
    status: singer.status,
    songs: singer.songs,
    skipNext: singer.skipNext,
    turnsCompleted: singer.turnsCompleted,
    consecutiveNoShows: singer.consecutiveNoShows,
  };
  if (singer.addedByKj) next.addedByKj = true;
  if (singer.confirmed) next.confirmed = true;
  return next;
};

/** The singers record one evolve step writes its changes into: never one held by a state anyone may keep (see replayEvolve). */
export type SingersDraft = Record<string, SingerState>;

/** Gives an evolve step the singers record to write into: `copySingers`, or `ownSingers` within one replay. */
export type SingersSource = (state: RotationState) => SingersDraft;

/** A fresh copy every time: evolve's, so no record it is given is ever written. */
export const copySingers: SingersSource = (state) => ({ ...state.singers });

/**
 * For one replay (evolveAll): the record it copied last, again, while the replay's latest state still holds it;
 * any other record (the starting state's, or a new one after a join or a leave) is copied first.
 */
export const ownSingers = (): SingersSource => {
  let owned: SingersDraft | null = null;
  return (state) => (state.singers === owned ? owned : (owned = { ...state.singers }));
};

/** Replaces a singer in the draft by a changed copy; no such singer, no change. */
export const changeSinger = (draft: SingersDraft, singerId: string, change: (singer: Draft<SingerState>) => void): void => {
  if (!Object.hasOwn(draft, singerId)) return;
  const singer = copySinger(draft[singerId]!);
  change(singer);
  // An own key already: a plain store writes that own property (even for `__proto__`), never the prototype.
  draft[singerId] = singer;
};
