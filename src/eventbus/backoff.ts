/** Bounded retry timing shared by the bus adapters: exponential backoff with full jitter (AWS guidance). */
export interface BackoffOptions {
  /** Total attempts including the first (>= 1). */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Injectable for tests. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Injectable for tests; returns [0, 1). */
  readonly random: () => number;
}

export const sleepMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Delay before retry number `retry` (1 = the first retry): uniform in [0, min(max, base * 2^(retry-1))]. */
export const jitteredDelayMs = ({ baseDelayMs, maxDelayMs, random }: BackoffOptions, retry: number): number =>
  Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1)));
