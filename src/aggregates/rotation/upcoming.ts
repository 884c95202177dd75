import type { PendingSong, RotationState, Song } from './types';

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
  readonly active: boolean;
}

const eligible = (singer: Simulated | undefined): singer is Simulated => singer !== undefined && singer.active && singer.songs.length > 0;

/**
 * ROTATION.md "upcoming": run the real calling rule forward as if every turn, the open one first,
 * completed and nothing else happened, until everyone eligible now has been called once.
 *
 * The rule is findNextCall's and the changes are evolve's (TurnCalled: the skips used are cleared, the called
 * song leaves the singer's list, the cursor moves to them; TurnCompleted changes nothing a call reads), applied
 * to a few mutable fields per singer instead of a new state per call: the queue view renders this for every
 * version a phone reads, and copying the state for each simulated call made it O(singers²). The property
 * tests compare it with calling for real (decide CallNext, CompleteTurn) on random nights.
 */
export const simulateUpcoming = (state: RotationState): SimulatedCall[] => {
  const { order, top, cursor } = state;
  const n = order.length;
  if (n === 0) return [];
  // The scan starts after the cursor's first slot (indexOf's), or at top's: what scanOrder does.
  const firstIndex = new Map<string, number>();
  for (let i = 0; i < n; i++) if (!firstIndex.has(order[i]!)) firstIndex.set(order[i]!, i);
  const singers = new Map<string, Simulated>();
  const slots = order.map((singerId) => {
    let simulated = singers.get(singerId);
    if (!simulated && Object.hasOwn(state.singers, singerId)) {
      const singer = state.singers[singerId]!;
      simulated = { songs: singer.songs, skipNext: singer.skipNext, active: singer.status === 'active' };
      singers.set(singerId, simulated);
    }
    return simulated;
  });
  // Completing the open turn changes no one's songs or status: whoever is eligible now is waiting.
  const waiting = new Set(order.filter((_, i) => eligible(slots[i])));
  let start = cursor !== null ? ((firstIndex.get(cursor) ?? -1) + 1) % n : Math.max(0, firstIndex.get(top ?? '') ?? -1);
  const calls: SimulatedCall[] = [];
  // Everyone waiting is reached within two laps per pending song; the bound only guards against a bug looping.
  const maxCalls = (n + 1) * (state.settings.maxPendingSongs + 2);
  for (let turnsAway = 1; waiting.size > 0 && turnsAway <= maxCalls; turnsAway++) {
    // findNextCall: from after the cursor, pass over the ineligible and (once) the skipping; a second lap
    // calls a lone skipper.
    const skipsUsed: string[] = [];
    let called = -1;
    for (let step = 0; step < 2 * n && called < 0; step++) {
      const i = (start + step) % n;
      const singer = slots[i];
      if (!eligible(singer)) continue;
      if (singer.skipNext && !skipsUsed.includes(order[i]!)) {
        skipsUsed.push(order[i]!);
        continue;
      }
      called = i;
    }
    if (called < 0) break;
    const singerId = order[called]!;
    const singer = slots[called]!;
    const { songId, song } = singer.songs[0]!;
    if (waiting.delete(singerId)) calls.push({ singerId, turnsAway, songId, song });
    for (const skipper of skipsUsed) singers.get(skipper)!.skipNext = false;
    singer.songs = singer.songs.filter((p) => p.songId !== songId);
    start = (firstIndex.get(singerId)! + 1) % n;
  }
  return calls;
};
