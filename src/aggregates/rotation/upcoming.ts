import { findNextCall } from './calling';
import { replayEvolve } from './evolve';
import { event, type RotationEvent } from './events';
import { isEligible, singerOf, type RotationState, type Song } from './types';

export interface SimulatedCall {
  readonly singerId: string;
  /** Simulated calls up to and including this singer's first. */
  readonly turnsAway: number;
  readonly songId: string;
  readonly song: Song;
}

/**
 * ROTATION.md "upcoming": run the real calling rule forward as if every turn, the open one first,
 * completed and nothing else happened, until everyone eligible now has been called once.
 */
export const simulateUpcoming = (state: RotationState): SimulatedCall[] => {
  // Only the latest simulated state is read, and none is returned: what replayEvolve needs.
  const evolve = replayEvolve();
  let sim = state.currentTurn ? completeOpenTurn(state, evolve) : state;
  const waiting = new Set(sim.order.filter((id) => isEligible(singerOf(sim, id))));
  const calls: SimulatedCall[] = [];
  // Everyone waiting is reached within two laps per pending song; the bound only guards against a bug looping.
  const maxCalls = (sim.order.length + 1) * (state.settings.maxPendingSongs + 2);
  for (let turnsAway = 1; waiting.size > 0 && turnsAway <= maxCalls; turnsAway++) {
    const next = findNextCall(sim);
    if (!next) break;
    const { songId, song } = singerOf(sim, next.singerId)!.songs[0]!;
    if (waiting.delete(next.singerId)) calls.push({ singerId: next.singerId, turnsAway, songId, song });
    sim = simulateTurn(sim, next.singerId, songId, song, next.skipsUsed, evolve);
  }
  return calls;
};

const SIMULATED_AT = '1970-01-01T00:00:00.000Z';

type Evolve = (state: RotationState, event: RotationEvent) => RotationState;

const completeOpenTurn = (state: RotationState, evolve: Evolve): RotationState => {
  const turn = state.currentTurn!;
  return evolve(
    state,
    event('TurnCompleted', {
      turnId: turn.turnId,
      singerId: turn.singerId,
      songId: turn.songId,
      song: turn.song,
      startedAt: SIMULATED_AT,
      completedAt: SIMULATED_AT,
      durationSeconds: 0,
    }),
  );
};

const simulateTurn = (
  state: RotationState,
  singerId: string,
  songId: string,
  song: Song,
  skipsUsed: string[],
  evolve: Evolve,
): RotationState =>
  completeOpenTurn(
    evolve(state, event('TurnCalled', { turnId: 'simulated', singerId, songId, song, calledAt: SIMULATED_AT, skipsUsed })),
    evolve,
  );
