import { insertAfter, insertBefore, moveSlot, removeSlot, type Circle } from './circle';
import type { RotationEvent } from './events';
import { DEFAULT_SETTINGS, type RecordedPlacement } from './settings';
import { changeSinger, copySingers, copyState, ownSingers, type Draft, type SingersSource } from './state';
import { wasCalledTonight, type RotationState, type SingerState } from './types';

/** Applies one event. Pure and total: an event is a fact, so it never fails here. */
export const evolve = (state: RotationState, event: RotationEvent): RotationState => apply(state, event, copySingers);

/**
 * An evolve for one replay whose states in between nobody keeps (evolveAll; the queue view's simulation). It
 * writes each step into the singers record it copied itself, for as long as the latest state holds it, instead of
 * copying the whole record for every event (most of a replay's time, and O(singers) per event). So only the
 * latest state it returned may be kept: a step may write into the record the earlier ones share. What it is
 * given (the first state, the events) is never written: a record it did not copy itself is copied first.
 */
export const replayEvolve = (): ((state: RotationState, event: RotationEvent) => RotationState) => {
  const singersFrom = ownSingers();
  return (state, event) => apply(state, event, singersFrom);
};

/**
 * The state after `events`, as evolving them one by one gives (the property tests compare the two), through one
 * replayEvolve: pure as a whole, since the state it returns is the latest, and the replay ends with the call.
 */
export const evolveAll = (state: RotationState, events: Iterable<RotationEvent>): RotationState => {
  const step = replayEvolve();
  for (const event of events) state = step(state, event);
  return state;
};

/** One event; `singersFrom` gives the singers record to write this step's changes into. */
const apply = (state: RotationState, event: RotationEvent, singersFrom: SingersSource): RotationState => {
  switch (event.type) {
    case 'RotationOpened': {
      const { rotationId, venue, kjId, settings, joinCode } = event.data;
      const next = copyState(state);
      next.status = 'open';
      next.rotationId = rotationId;
      next.venue = venue;
      next.kjId = kjId;
      // Settings added later take their defaults in nights opened before them.
      next.settings = { ...DEFAULT_SETTINGS, ...settings };
      if (joinCode) next.joinCode = joinCode;
      return next;
    }
    case 'SingerJoined': {
      const { singerId, displayName, songId, song, placement, addedByKj } = event.data;
      const next = copyState(state);
      // A computed key in a literal defines an own property, even `__proto__`.
      next.singers = {
        ...state.singers,
        [singerId]: {
          singerId,
          displayName,
          status: 'active' as const,
          songs: [{ songId, song }],
          skipNext: false,
          turnsCompleted: 0,
          consecutiveNoShows: 0,
          ...(addedByKj ? { addedByKj } : {}),
        },
      };
      return setCircle(next, placeSlot(state, singerId, placement, state.currentTurn));
    }
    case 'SongQueued': {
      const { songId, song } = event.data;
      return updateSinger(state, event.data.singerId, singersFrom, (s) => {
        s.songs = [...s.songs, { songId, song }];
      });
    }
    case 'SongWithdrawn':
      return updateSinger(state, event.data.singerId, singersFrom, (s) => {
        s.songs = s.songs.filter((p) => p.songId !== event.data.songId);
      });
    case 'SkipRequested':
      return updateSinger(state, event.data.singerId, singersFrom, (s) => {
        s.skipNext = true;
      });
    case 'SingerWentAway':
      return updateSinger(state, event.data.singerId, singersFrom, (s) => {
        s.status = 'away';
      });
    case 'SingerCameBack':
      return updateSinger(state, event.data.singerId, singersFrom, (s) => {
        s.status = 'active';
        // Back means present again: the no-show streak that may have sent them away starts over.
        s.consecutiveNoShows = 0;
      });
    case 'SingerLeft': {
      const next = copyState(state);
      const { [event.data.singerId]: _gone, ...singers } = state.singers;
      next.singers = singers;
      return setCircle(next, removeSlot(state, event.data.singerId));
    }
    case 'SingerConfirmed':
      return updateSinger(state, event.data.singerId, singersFrom, (s) => {
        s.confirmed = true;
      });
    case 'SingerMoved':
      return setCircle(copyState(state), moveSlot(state, event.data.singerId, event.data.position));
    case 'TurnCalled': {
      const { turnId, singerId, songId, song, calledAt, skipsUsed } = event.data;
      const next = copyState(state);
      const singers = singersFrom(state);
      for (const skipper of skipsUsed) {
        changeSinger(singers, skipper, (s) => {
          s.skipNext = false;
        });
      }
      changeSinger(singers, singerId, (s) => {
        s.songs = s.songs.filter((p) => p.songId !== songId);
      });
      next.singers = singers;
      next.cursor = singerId;
      if (!wasCalledTonight(state, singerId)) next.calledTonight = { ...state.calledTonight, [singerId]: true };
      next.currentTurn = { turnId, singerId, songId, song, state: 'called', calledAt, startedAt: null };
      return next;
    }
    case 'TurnStarted': {
      const turn = state.currentTurn;
      if (!turn) return state;
      const next = copyState(state);
      const { turnId, singerId, songId, song, calledAt } = turn;
      next.currentTurn = { turnId, singerId, songId, song, state: 'performing', calledAt, startedAt: event.data.startedAt };
      return next;
    }
    case 'TurnCompleted': {
      const next = copyState(state);
      if (Object.hasOwn(state.singers, event.data.singerId)) {
        const singers = singersFrom(state);
        changeSinger(singers, event.data.singerId, (s) => {
          s.turnsCompleted += 1;
          s.consecutiveNoShows = 0;
        });
        next.singers = singers;
      }
      next.currentTurn = null;
      next.completedPerformances = state.completedPerformances + 1;
      next.totalPerformanceSeconds = state.totalPerformanceSeconds + event.data.durationSeconds;
      return next;
    }
    case 'TurnForfeited':
    case 'TurnSkipped': {
      const next = copyState(state);
      const turn = state.currentTurn;
      const noShow = event.type === 'TurnForfeited' && event.data.reason === 'no-show';
      if (turn || noShow) {
        const singers = singersFrom(state);
        // A turn that did not happen gives its song back, first in the singer's list.
        if (turn) {
          changeSinger(singers, turn.singerId, (s) => {
            s.songs = [{ songId: turn.songId, song: turn.song }, ...s.songs];
          });
        }
        if (noShow) {
          changeSinger(singers, event.data.singerId, (s) => {
            s.consecutiveNoShows += 1;
          });
        }
        next.singers = singers;
      }
      next.currentTurn = null;
      return next;
    }
    case 'RotationClosed': {
      const next = copyState(state);
      next.status = 'closed';
      return next;
    }
  }
};

/** The state with one singer changed; the same state when there is no such singer. */
const updateSinger = (
  state: RotationState,
  singerId: string,
  singersFrom: SingersSource,
  change: (singer: Draft<SingerState>) => void,
): RotationState => {
  if (!Object.hasOwn(state.singers, singerId)) return state;
  const next = copyState(state);
  const singers = singersFrom(state);
  changeSinger(singers, singerId, change);
  next.singers = singers;
  return next;
};

const setCircle = (next: Draft<RotationState>, { order, top, cursor }: Circle): RotationState => {
  next.order = order;
  next.top = top;
  next.cursor = cursor;
  return next;
};

const placeSlot = (
  { order, top, cursor }: RotationState,
  singerId: string,
  placement: RecordedPlacement,
  currentTurn: RotationState['currentTurn'],
): Circle => {
  if (order.length === 0 || top === null) return { order: [singerId], top: singerId, cursor };
  switch (placement) {
    case 'fair':
      return { order: insertBefore(order, top, singerId), top, cursor };
    case 'full-rotation':
      return { order: insertBefore(order, cursor ?? top, singerId), top, cursor };
    case 'next':
      return cursor !== null
        ? { order: insertAfter(order, cursor, singerId), top, cursor }
        : { order: insertBefore(order, top, singerId), top: singerId, cursor };
    case 'back':
      // The cursor's slot ends the scan; with nobody on stage the returner takes that last place themselves.
      if (cursor === null) return { order: insertBefore(order, top, singerId), top, cursor };
      return currentTurn
        ? { order: insertBefore(order, cursor, singerId), top, cursor }
        : { order: insertAfter(order, cursor, singerId), top, cursor: singerId };
  }
};
