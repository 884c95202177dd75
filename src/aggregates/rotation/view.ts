import { scanOrder } from './circle';
import { DEFAULT_PERFORMANCE_SECONDS } from './settings';
import { singerOf, type RotationState, type SingerState, type SingerStatus, type Song, type TurnState } from './types';
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

/** The fields a view opens with: which rotation, where, whether open. */
export type ViewHead = Pick<QueueView, 'rotationId' | 'venue' | 'status' | 'joinCode' | 'songsFromBookOnly'>;

export const viewHead = (state: RotationState): ViewHead => ({
  rotationId: state.rotationId,
  venue: state.venue,
  status: state.status === 'closed' ? 'closed' : 'open',
  ...(state.joinCode ? { joinCode: state.joinCode } : {}),
  ...(state.settings.songsFromBookOnly ? { songsFromBookOnly: true as const } : {}),
});

/** A singer's name as the view shows it (their id when they are not in the rotation). */
const displayNameOf = (state: RotationState, singerId: string) => singerOf(state, singerId)?.displayName ?? singerId;

/** The open turn as the view shows it. */
export const currentEntry = (state: RotationState): QueueView['current'] => {
  const turn = state.currentTurn;
  return turn
    ? { turnId: turn.turnId, singerId: turn.singerId, displayName: displayNameOf(state, turn.singerId), song: turn.song, state: turn.state }
    : null;
};

/** A slot's entry in `singers`. */
export const singerEntry = (singerId: string, singer: SingerState): QueueView['singers'][number] => ({
  singerId,
  displayName: singer.displayName,
  status: singer.status,
  pendingSongs: singer.songs.length,
  turnsCompleted: singer.turnsCompleted,
  skipNext: singer.skipNext,
});

/** A simulated first call's entry in `upcoming`. */
export const upcomingEntry = (
  { singerId, turnsAway, song }: Pick<SimulatedCall, 'singerId' | 'turnsAway' | 'song'>,
  displayName: string,
  estimatedWaitSeconds: number,
): QueueView['upcoming'][number] => ({ singerId, displayName, turnsAway, estimatedWaitSeconds, song });

/** ROTATION.md "estimatedWaitSeconds": the open turn's remaining time, then one average per call before. */
export const estimatedWait = (remainingSeconds: number, averageSeconds: number, turnsAway: number): number =>
  remainingSeconds + averageSeconds * (turnsAway - 1);

/** The view from its parts, its fields in API.md's order. */
export const assembleView = (
  head: ViewHead,
  version: number,
  current: QueueView['current'],
  upcoming: QueueView['upcoming'],
  singers: QueueView['singers'],
): QueueView => ({ ...head, version, current, upcoming, singers });

/** The view as read from the log at a commit: it carries that commit's hash last. */
export const withHeadHash = (view: QueueView, headHash: string | undefined): QueueView => (headHash === undefined ? view : { ...view, headHash });

/** The parts of a view that depend on the state alone, kept per state object: states are never changed in place. */
interface Timeless {
  readonly head: ViewHead;
  readonly current: QueueView['current'];
  readonly calls: readonly (SimulatedCall & { readonly displayName: string })[];
  readonly singers: QueueView['singers'];
}
const timeless = new WeakMap<RotationState, Timeless>();

const timelessOf = (state: RotationState): Timeless => {
  const known = timeless.get(state);
  if (known) return known;
  const made: Timeless = {
    head: viewHead(state),
    current: currentEntry(state),
    calls: simulateUpcoming(state).map((call) => ({ ...call, displayName: displayNameOf(state, call.singerId) })),
    singers: scanOrder(state).map((singerId) => singerEntry(singerId, singerOf(state, singerId)!)),
  };
  timeless.set(state, made);
  return made;
};

/**
 * The view of a state at a time: who sings and in what order is the state's alone (worked out once per state),
 * the estimated waits depend on the time too. A hot rotation read many times between commits is cheap.
 */
export const queueView = (state: RotationState, at: { version: number; now: string }): QueueView => {
  const { head, current, calls, singers } = timelessOf(state);
  const average = averagePerformanceSeconds(state);
  const remaining = openTurnRemainingSeconds(state, average, at.now);
  return assembleView(
    head,
    at.version,
    current && { ...current },
    calls.map((call) => upcomingEntry(call, call.displayName, estimatedWait(remaining, average, call.turnsAway))),
    singers.map((s) => ({ ...s })),
  );
};
