import { scanForCall } from './calling';
import { scanStart } from './circle';
import { isEligible, type PendingSong, type RotationState, type SingerStatus, type Song } from './types';

export interface SimulatedCall {
  readonly singerId: string;
  /** Simulated calls up to and including this singer's first. */
  readonly turnsAway: number;
  readonly songId: string;
  readonly song: Song;
}

/** What a simulated call reads of a singer, and changes: their songs left and their skip flag. */
interface Simulated {
  songs: readonly PendingSong[];
  skipNext: boolean;
  readonly status: SingerStatus;
}

/**
 * ROTATION.md "upcoming": run the real calling rule forward as if every turn, the open one first,
 * completed and nothing else happened, until everyone eligible now has been called once.
 *
 * The rule is findNextCall's (scanForCall, from scanStart) and the changes are evolve's (TurnCalled: the skips
 * used are cleared, the called song leaves the singer's list, the cursor moves to them; TurnCompleted changes
 * nothing a call reads), kept in a few mutable fields per singer instead of a new state per call: the queue
 * view renders this for every version a phone reads, and copying the state for each simulated call made it
 * O(singers²). The property tests compare it with calling for real (decide CallNext, CompleteTurn).
 */
export const simulateUpcoming = (state: RotationState): SimulatedCall[] => {
  const { order, top } = state;
  const n = order.length;
  if (n === 0) return [];
  const firstIndex = new Map<string, number>();
  for (let i = 0; i < n; i++) if (!firstIndex.has(order[i]!)) firstIndex.set(order[i]!, i);
  const indexOf = (singerId: string) => firstIndex.get(singerId) ?? -1;
  const singers = new Map<string, Simulated>();
  const slots = order.map((singerId) => {
    let simulated = singers.get(singerId);
    if (!simulated && Object.hasOwn(state.singers, singerId)) {
      const { songs, skipNext, status } = state.singers[singerId]!;
      singers.set(singerId, (simulated = { songs, skipNext, status }));
    }
    return simulated;
  });
  const eligibleAt = (i: number) => isEligible(slots[i]);
  const skipsAt = (i: number) => slots[i]!.skipNext;
  // Completing the open turn changes no one's songs or status: whoever is eligible now is waiting.
  const waiting = new Set(order.filter((_, i) => eligibleAt(i)));
  let cursor = state.cursor;
  const calls: SimulatedCall[] = [];
  // Everyone waiting is reached within two laps per pending song; the bound only guards against a bug looping.
  const maxCalls = (n + 1) * (state.settings.maxPendingSongs + 2);
  for (let turnsAway = 1; waiting.size > 0 && turnsAway <= maxCalls; turnsAway++) {
    const { index, skipsUsed } = scanForCall(order, scanStart({ order, top, cursor }, indexOf), eligibleAt, skipsAt);
    if (index < 0) break;
    const singerId = order[index]!;
    const singer = slots[index]!;
    const { songId, song } = singer.songs[0]!;
    if (waiting.delete(singerId)) calls.push({ singerId, turnsAway, songId, song });
    for (const skipper of skipsUsed) singers.get(skipper)!.skipNext = false;
    singer.songs = singer.songs.filter((p) => p.songId !== songId);
    cursor = singerId;
  }
  return calls;
};
