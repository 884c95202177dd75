import { scanOrder } from './circle';
import { DEFAULT_PERFORMANCE_SECONDS } from './settings';
import { singerOf, type RotationState, type SingerStatus, type Song, type TurnState } from './types';
import { simulateUpcoming, type SimulatedCall } from './upcoming';

/** The queue view of API.md. */
export interface QueueView {
  rotationId: string;
  venue: string;
  status: 'open' | 'closed';
  /** API.md "Joining by code"; absent for rotations opened before join codes. */
  joinCode?: string;
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
export const openTurnRemainingSeconds = (state: RotationState, average: number, now: string): number => {
  const turn = state.currentTurn;
  if (!turn) return 0;
  if (turn.startedAt === null) return average;
  const elapsed = Math.floor((Date.parse(now) - Date.parse(turn.startedAt)) / 1000);
  return Math.max(0, average - Math.max(0, Number.isFinite(elapsed) ? elapsed : 0));
};

/** The parts of a view that depend on the state alone, kept per state object: states are never changed in place. */
type Timeless = Omit<QueueView, 'version' | 'headHash' | 'upcoming'> & {
  readonly calls: readonly (SimulatedCall & { readonly displayName: string })[];
};
const timeless = new WeakMap<RotationState, Timeless>();

const timelessOf = (state: RotationState): Timeless => {
  const known = timeless.get(state);
  if (known) return known;
  const name = (singerId: string) => singerOf(state, singerId)?.displayName ?? singerId;
  const turn = state.currentTurn;
  const made: Timeless = {
    rotationId: state.rotationId,
    venue: state.venue,
    status: state.status === 'closed' ? 'closed' : 'open',
    ...(state.joinCode ? { joinCode: state.joinCode } : {}),
    ...(state.settings.songsFromBookOnly ? { songsFromBookOnly: true as const } : {}),
    current: turn
      ? { turnId: turn.turnId, singerId: turn.singerId, displayName: name(turn.singerId), song: turn.song, state: turn.state }
      : null,
    calls: simulateUpcoming(state).map((call) => ({ ...call, displayName: name(call.singerId) })),
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
  timeless.set(state, made);
  return made;
};

/**
 * The view of a state at a time: who sings and in what order is the state's alone (worked out once per state),
 * the estimated waits depend on the time too. A hot rotation read many times between commits is cheap.
 */
export const queueView = (state: RotationState, at: { version: number; now: string }): QueueView => {
  const { calls, current, singers, ...rest } = timelessOf(state);
  const average = averagePerformanceSeconds(state);
  const remaining = openTurnRemainingSeconds(state, average, at.now);
  return {
    ...rest,
    version: at.version,
    current: current && { ...current },
    upcoming: calls.map(({ singerId, turnsAway, song, displayName }) => ({
      singerId,
      displayName,
      turnsAway,
      estimatedWaitSeconds: remaining + average * (turnsAway - 1),
      song,
    })),
    singers: singers.map((s) => ({ ...s })),
  };
};
