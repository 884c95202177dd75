import { scanOrder } from './circle';
import { isEligible, singerOf, type RotationState } from './types';

export interface NextCall {
  readonly singerId: string;
  /** Singers whose skip flag this call uses up (they are passed over once). */
  readonly skipsUsed: string[];
}

/**
 * ROTATION.md "Calling the next singer": scan from after the cursor, pass over the ineligible,
 * pass over (and clear) a skip flag once; a second lap lets a lone skipping singer still be called.
 */
export const findNextCall = (state: RotationState): NextCall | null => {
  const ring = scanOrder(state);
  const skipsUsed: string[] = [];
  for (let lap = 0; lap < 2; lap++) {
    for (const singerId of ring) {
      const singer = singerOf(state, singerId);
      if (!isEligible(singer)) continue;
      if (singer!.skipNext && !skipsUsed.includes(singerId)) {
        skipsUsed.push(singerId);
        continue;
      }
      return { singerId, skipsUsed };
    }
  }
  return null;
};
