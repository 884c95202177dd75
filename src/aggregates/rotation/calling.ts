import { scanStart } from './circle';
import { isEligible, singerOf, type RotationState } from './types';

export interface NextCall {
  readonly singerId: string;
  /** Singers whose skip flag this call uses up (they are passed over once). */
  readonly skipsUsed: string[];
}

/** What the calling rule reads of the singer in a slot. */
export interface Candidate {
  readonly eligible: boolean;
  readonly skipNext: boolean;
}

/**
 * ROTATION.md "Calling the next singer", over the circular `order` from slot `start`: pass over the ineligible,
 * pass over (and use up) a skip flag once; a second lap lets a lone skipping singer still be called. Returns the
 * called slot's index (-1: nobody) and the skips used. `at(i)` says what the rule needs of slot i's singer, so
 * the queue view's simulation (upcoming.ts) runs this very rule on its own per-singer fields.
 */
export const scanForCall = (
  order: readonly string[],
  start: number,
  eligibleAt: (index: number) => boolean,
  skipsAt: (index: number) => boolean,
): { readonly index: number; readonly skipsUsed: string[] } => {
  const n = order.length;
  const skipsUsed: string[] = [];
  for (let step = 0; step < 2 * n; step++) {
    const index = (start + step) % n;
    if (!eligibleAt(index)) continue;
    const singerId = order[index]!;
    if (skipsAt(index) && !skipsUsed.includes(singerId)) {
      skipsUsed.push(singerId);
      continue;
    }
    return { index, skipsUsed };
  }
  return { index: -1, skipsUsed };
};

/** The next call in a state: scanForCall from after the cursor. */
export const findNextCall = (state: RotationState): NextCall | null => {
  const { order } = state;
  const { index, skipsUsed } = scanForCall(
    order,
    scanStart(state),
    (i) => isEligible(singerOf(state, order[i]!)),
    (i) => singerOf(state, order[i]!)!.skipNext,
  );
  return index < 0 ? null : { singerId: order[index]!, skipsUsed };
};
