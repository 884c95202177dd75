/**
 * A fixed-window counter per key (a client address): more than `limit` hits in `windowMs` → refused until the
 * window ends. Bounded: at most `maxKeys` windows are kept, the least recently used dropped first, so a flood
 * of addresses cannot grow it without end (a dropped key only starts a fresh window).
 */
import { createBoundedMap } from '../../boundedMap';

export interface RateLimiter {
  /** Counts one hit; `retryAfterSeconds` when it is over the limit. */
  hit(key: string): { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };
  /** Would the next hit be over the limit? (Does not count.) */
  blocked(key: string): number | null;
}

export interface RateLimitOptions {
  readonly limit: number;
  readonly windowMs: number;
  readonly maxKeys?: number;
  readonly now?: () => number;
}

export const createRateLimiter = ({ limit, windowMs, maxKeys = 10_000, now = Date.now }: RateLimitOptions): RateLimiter => {
  const windows = createBoundedMap<string, { start: number; count: number }>(maxKeys);
  const current = (key: string) => {
    const at = now();
    const window = windows.get(key);
    if (window && at - window.start < windowMs) return window;
    windows.delete(key);
    return undefined;
  };
  const retryAfter = (start: number) => Math.max(1, Math.ceil((start + windowMs - now()) / 1000));
  return {
    hit(key) {
      const window = current(key);
      if (!window) {
        windows.set(key, { start: now(), count: 1 });
        return limit >= 1 ? { allowed: true } : { allowed: false, retryAfterSeconds: retryAfter(now()) };
      }
      window.count += 1;
      return window.count <= limit ? { allowed: true } : { allowed: false, retryAfterSeconds: retryAfter(window.start) };
    },
    blocked(key) {
      const window = current(key);
      return window && window.count >= limit ? retryAfter(window.start) : null;
    },
  };
};
