import fc from 'fast-check';
import { isRejection } from '../../../src/aggregates/decider';
import {
  rotationDecider,
  type Actor,
  type JoinPlacement,
  type RotationCommand,
  type RotationEvent,
  type RotationState,
} from '../../../src/aggregates/rotation';

/** What a random night does, in terms of a small pool of singers; interpreted against the state as it runs. */
export type NightAction =
  | { kind: 'join'; who: number; placement: JoinPlacement | undefined }
  | { kind: 'queue' | 'skip' | 'away' | 'back' | 'leave' | 'remove'; who: number }
  | { kind: 'withdraw'; who: number; which: number }
  | { kind: 'move'; who: number; position: number }
  | { kind: 'call' | 'start' | 'complete' | 'forfeit' | 'skipCalled' }
  /** Not generated (it would end the night early); appended where a test wants a closed night. */
  | { kind: 'close' };

export const SINGER_POOL = ['amy', 'bo', 'cy', 'dee', 'eve', 'fin', 'gus', 'hal'];
const who = fc.nat({ max: SINGER_POOL.length - 1 });

export interface NightOptions {
  /** KJ overrides of fairness: `move`, and the `next` placement. */
  readonly overrides: boolean;
  readonly maxActions?: number;
}

export const nightActions = ({ overrides, maxActions = 120 }: NightOptions): fc.Arbitrary<NightAction[]> => {
  const placements: (JoinPlacement | undefined)[] = overrides
    ? [undefined, 'fair', 'full-rotation', 'next']
    : [undefined, 'fair', 'full-rotation'];
  const action: fc.Arbitrary<NightAction> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('join' as const), who, placement: fc.constantFrom(...placements) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('queue' as const), who }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), who, which: fc.nat({ max: 3 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('skip' as const, 'away' as const, 'back' as const), who }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('leave' as const, 'remove' as const), who }) },
    ...(overrides ? [{ weight: 1, arbitrary: fc.record({ kind: fc.constant('move' as const), who, position: fc.nat({ max: 9 }) }) }] : []),
    { weight: 8, arbitrary: fc.record({ kind: fc.constantFrom('call' as const, 'complete' as const) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('start' as const, 'forfeit' as const, 'skipCalled' as const) }) },
  );
  // size 'max': fast-check's default size would keep nights to a handful of actions.
  return fc.array(action, { minLength: 20, maxLength: maxActions, size: 'max' });
};

export interface NightSettings {
  readonly maxNoShows: number;
  readonly maxPendingSongs: number;
  readonly alertAheadTurns: number;
}
export const nightSettings: fc.Arbitrary<NightSettings> = fc.record({
  maxNoShows: fc.integer({ min: 1, max: 3 }),
  maxPendingSongs: fc.integer({ min: 1, max: 4 }),
  alertAheadTurns: fc.integer({ min: 0, max: 4 }),
});

export interface NightStep {
  readonly command: RotationCommand;
  readonly before: RotationState;
  readonly after: RotationState;
  /** Empty when the command was rejected or changed nothing. */
  readonly events: readonly RotationEvent[];
  readonly rejected: boolean;
}

export interface Night {
  readonly steps: NightStep[];
  readonly events: RotationEvent[];
  readonly state: RotationState;
}

const KJ: Actor = { id: 'kj', role: 'kj' };
const START = Date.parse('2026-11-21T20:00:00.000Z');

/**
 * Plays a night through decide/evolve, as the command handler does; each action is 45 s after the last.
 * `pool` names the singers (`who` indexes it): SINGER_POOL unless a test wants other names.
 */
export const playNight = (settings: NightSettings, actions: readonly NightAction[], pool: readonly string[] = SINGER_POOL): Night => {
  let state = rotationDecider.initialState;
  const steps: NightStep[] = [];
  const events: RotationEvent[] = [];
  let ids = 0;
  const nextId = (prefix: string) => `${prefix}-${++ids}`;
  const apply = (command: RotationCommand) => {
    const result = rotationDecider.decide(command, state);
    const before = state;
    const accepted = isRejection(result) ? [] : result;
    for (const e of accepted) state = rotationDecider.evolve(state, e);
    events.push(...accepted);
    steps.push({ command, before, after: state, events: accepted, rejected: isRejection(result) });
  };
  const at = (i: number) => new Date(START + i * 45_000).toISOString();

  apply({ type: 'OpenRotation', rotationId: 'night', venue: 'The Blue Room', settings, actor: KJ, at: at(0) });
  actions.forEach((action, index) => apply(toCommand(action, state, pool, nextId, at(index + 1))));
  return { steps, events, state };
};

const song = (id: string) => ({ title: `Song ${id}`, artist: 'Someone' });

const toCommand = (
  action: NightAction,
  state: RotationState,
  pool: readonly string[],
  nextId: (prefix: string) => string,
  at: string,
): RotationCommand => {
  const turnId = state.currentTurn?.turnId ?? 'no-turn';
  switch (action.kind) {
    case 'call':
      return { type: 'CallNext', turnId: nextId('turn'), actor: KJ, at };
    case 'start':
      return { type: 'StartTurn', turnId, actor: KJ, at };
    case 'complete':
      return { type: 'CompleteTurn', turnId, actor: KJ, at };
    case 'forfeit':
      return { type: 'ForfeitTurn', turnId, actor: { id: 'wf', role: 'system' }, at };
    case 'close':
      return { type: 'CloseRotation', actor: KJ, at };
    case 'skipCalled': {
      const singerId = state.currentTurn?.singerId ?? pool[0]!;
      return { type: 'SkipTurn', singerId, actor: { id: singerId, role: 'singer' }, at };
    }
    default:
      break;
  }
  const singerId = pool[action.who]!;
  const self: Actor = { id: singerId, role: 'singer' };
  switch (action.kind) {
    case 'join': {
      const songId = nextId('song');
      const actor = action.placement === 'next' ? KJ : self;
      return { type: 'JoinRotation', singerId, displayName: singerId, songId, song: song(songId), placement: action.placement, actor, at };
    }
    case 'queue': {
      const songId = nextId('song');
      return { type: 'QueueSong', singerId, songId, song: song(songId), actor: self, at };
    }
    case 'withdraw': {
      const songs = state.singers[singerId]?.songs ?? [];
      const songId = songs[action.which % Math.max(1, songs.length)]?.songId ?? 'none';
      return { type: 'WithdrawSong', singerId, songId, actor: self, at };
    }
    case 'skip':
      return { type: 'SkipTurn', singerId, actor: self, at };
    case 'away':
      return { type: 'GoAway', singerId, actor: self, at };
    case 'back':
      return { type: 'ComeBack', singerId, actor: self, at };
    case 'leave':
      return { type: 'LeaveRotation', singerId, actor: self, at };
    case 'remove':
      return { type: 'RemoveSinger', singerId, actor: KJ, at };
    case 'move':
      return { type: 'MoveSinger', singerId, position: action.position, actor: KJ, at };
  }
};

/** fast-check settings: 1,000 runs unless FC_RUNS says otherwise; FC_SEED replays a reported failure. */
export const propertyParameters = (): fc.Parameters<unknown> => ({
  numRuns: Number(process.env.FC_RUNS ?? 1000),
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
  ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
});
