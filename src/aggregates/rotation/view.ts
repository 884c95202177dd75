import { scanOrder } from './circle';
import { DEFAULT_PERFORMANCE_SECONDS } from './settings';
import { singerOf, type RotationState, type SingerStatus, type Song, type TurnState } from './types';
import { simulateUpcoming } from './upcoming';

/** The queue view of API.md. */
export interface QueueView {
  rotationId: string;
  venue: string;
  status: 'open' | 'closed';
  version: number;
  /** Hash of the commit at `version`, added by whoever read it from the log (the domain knows no hashes). */
  headHash?: string;
  /** Present (true) when the rotation takes songs from the KJ's songbook only, so pages hide free-text forms. */
  songsFromBookOnly?: true;
  current: null | { turnId: string; singerId: string; displayName: string; song: Song; state: TurnState };
  upcoming: { singerId: string; displayName: string; turnsAway: number; estimatedWaitSeconds: number; song: Song }[];
  singers: {
    singerId: string;
    displayName: string;
    status: SingerStatus;
    pendingSongs: number;
    turnsCompleted: number;
    skipNext: boolean;
  }[];
}

/** Mean duration of this rotation's completed performances, or a default before there is one. */
export const averagePerformanceSeconds = (state: RotationState): number =>
  state.completedPerformances > 0
    ? Math.round(state.totalPerformanceSeconds / state.completedPerformances)
    : DEFAULT_PERFORMANCE_SECONDS;

/** What is left of the open turn: a full average until it starts, then the average less the time on stage. */
const openTurnRemainingSeconds = (state: RotationState, average: number, now: string): number => {
  const turn = state.currentTurn;
  if (!turn) return 0;
  if (turn.startedAt === null) return average;
  const elapsed = Math.floor((Date.parse(now) - Date.parse(turn.startedAt)) / 1000);
  return Math.max(0, average - Math.max(0, Number.isFinite(elapsed) ? elapsed : 0));
};

export const queueView = (state: RotationState, at: { version: number; now: string }): QueueView => {
  const name = (singerId: string) => singerOf(state, singerId)?.displayName ?? singerId;
  const average = averagePerformanceSeconds(state);
  const remaining = openTurnRemainingSeconds(state, average, at.now);
  const turn = state.currentTurn;
  return {
    rotationId: state.rotationId,
    venue: state.venue,
    status: state.status === 'closed' ? 'closed' : 'open',
    version: at.version,
    ...(state.settings.songsFromBookOnly ? { songsFromBookOnly: true as const } : {}),
    current: turn
      ? { turnId: turn.turnId, singerId: turn.singerId, displayName: name(turn.singerId), song: turn.song, state: turn.state }
      : null,
    upcoming: simulateUpcoming(state).map(({ singerId, turnsAway, song }) => ({
      singerId,
      displayName: name(singerId),
      turnsAway,
      estimatedWaitSeconds: remaining + average * (turnsAway - 1),
      song,
    })),
    singers: scanOrder(state).map((singerId) => {
      const singer = singerOf(state, singerId)!;
      return {
        singerId,
        displayName: singer.displayName,
        status: singer.status,
        pendingSongs: singer.songs.length,
        turnsCompleted: singer.turnsCompleted,
        skipNext: singer.skipNext,
      };
    }),
  };
};
