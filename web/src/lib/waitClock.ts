import type { QueueView } from './contract';

/** How often a page shows the waits again while nothing new arrives (a song plays for minutes without a change). */
export const WAIT_TICK_MS = 15_000;

/**
 * The waits of a view as time passes after it arrived. The server works a wait out when it answers (ROTATION.md:
 * the open turn's remaining time, then one average per call before), and while a song plays nothing new may
 * arrive for minutes. Only the performing turn's remaining time runs down, and never below zero: it is the first
 * upcoming wait, so no wait drops by more than that.
 */
export const agedWaits = (view: QueueView, receivedAt: number, now: number): ((estimatedWaitSeconds: number) => number) => {
  if (view.current?.state !== 'performing') return (seconds) => seconds;
  const remaining = view.upcoming[0]?.estimatedWaitSeconds ?? 0;
  const passed = Math.min(remaining, Math.max(0, Math.floor((now - receivedAt) / 1000)));
  return (seconds) => Math.max(0, seconds - passed);
};
