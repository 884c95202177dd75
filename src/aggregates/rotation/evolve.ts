import { insertAfter, insertBefore, moveSlot, removeSlot } from './circle';
import type { RotationEvent } from './events';
import { DEFAULT_SETTINGS, type RecordedPlacement } from './settings';
import { changeSinger, draftSingers, nextState, updateSinger } from './state';
import { wasCalledTonight, type RotationState } from './types';

/** Applies one event. Pure and total: an event is a fact, so it never fails here. */
export const evolve = (state: RotationState, event: RotationEvent): RotationState => {
  switch (event.type) {
    case 'RotationOpened': {
      const { rotationId, venue, kjId, settings, joinCode } = event.data;
      // Settings added later take their defaults in nights opened before them.
      return nextState(state, { status: 'open', rotationId, venue, kjId, settings: { ...DEFAULT_SETTINGS, ...settings }, joinCode: joinCode || undefined });
    }
    case 'SingerJoined': {
      const { singerId, displayName, songId, song, placement, addedByKj } = event.data;
      const singers = {
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
      return nextState(state, { singers, ...placeSlot(state, singerId, placement, state.currentTurn) });
    }
    case 'SongQueued': {
      const { songId, song } = event.data;
      return updateSinger(state, event.data.singerId, (s) => ({ songs: [...s.songs, { songId, song }] }));
    }
    case 'SongWithdrawn':
      return updateSinger(state, event.data.singerId, (s) => ({
        songs: s.songs.filter((p) => p.songId !== event.data.songId),
      }));
    case 'SkipRequested':
      return updateSinger(state, event.data.singerId, () => ({ skipNext: true }));
    case 'SingerWentAway':
      return updateSinger(state, event.data.singerId, () => ({ status: 'away' }));
    case 'SingerCameBack':
      // Back means present again: the no-show streak that may have sent them away starts over.
      return updateSinger(state, event.data.singerId, () => ({ status: 'active', consecutiveNoShows: 0 }));
    case 'SingerLeft': {
      const { [event.data.singerId]: _gone, ...singers } = state.singers;
      return nextState(state, { singers, ...removeSlot(state, event.data.singerId) });
    }
    case 'SingerConfirmed':
      return updateSinger(state, event.data.singerId, () => ({ confirmed: true as const }));
    case 'SingerMoved':
      return nextState(state, moveSlot(state, event.data.singerId, event.data.position));
    case 'TurnCalled': {
      const { turnId, singerId, songId, song, calledAt, skipsUsed } = event.data;
      const singers = draftSingers(state);
      for (const skipper of skipsUsed) changeSinger(singers, skipper, () => ({ skipNext: false }));
      changeSinger(singers, singerId, (s) => ({ songs: s.songs.filter((p) => p.songId !== songId) }));
      return nextState(state, {
        singers,
        cursor: singerId,
        calledTonight: wasCalledTonight(state, singerId) ? state.calledTonight : { ...state.calledTonight, [singerId]: true },
        currentTurn: { turnId, singerId, songId, song, state: 'called', calledAt, startedAt: null },
      });
    }
    case 'TurnStarted': {
      const turn = state.currentTurn;
      if (!turn) return state;
      const { turnId, singerId, songId, song, calledAt } = turn;
      return nextState(state, { currentTurn: { turnId, singerId, songId, song, state: 'performing', calledAt, startedAt: event.data.startedAt } });
    }
    case 'TurnCompleted': {
      const next = updateSinger(state, event.data.singerId, (s) => ({
        turnsCompleted: s.turnsCompleted + 1,
        consecutiveNoShows: 0,
      }));
      return nextState(next, {
        currentTurn: null,
        completedPerformances: state.completedPerformances + 1,
        totalPerformanceSeconds: state.totalPerformanceSeconds + event.data.durationSeconds,
      });
    }
    case 'TurnForfeited': {
      const songBack = returnSongFirst(state);
      const counted =
        event.data.reason === 'no-show'
          ? updateSinger(songBack, event.data.singerId, (s) => ({ consecutiveNoShows: s.consecutiveNoShows + 1 }))
          : songBack;
      return nextState(counted, { currentTurn: null });
    }
    case 'TurnSkipped':
      return nextState(returnSongFirst(state), { currentTurn: null });
    case 'RotationClosed':
      return nextState(state, { status: 'closed' });
  }
};

/** A turn that did not happen gives its song back, first in the singer's list. */
const returnSongFirst = (state: RotationState): RotationState => {
  const turn = state.currentTurn;
  if (!turn) return state;
  return updateSinger(state, turn.singerId, (s) => ({
    songs: [{ songId: turn.songId, song: turn.song }, ...s.songs],
  }));
};

const placeSlot = (
  { order, top, cursor }: RotationState,
  singerId: string,
  placement: RecordedPlacement,
  currentTurn: RotationState['currentTurn'],
): Pick<RotationState, 'order' | 'top' | 'cursor'> => {
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
