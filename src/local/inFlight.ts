/**
 * Counts requests whose handlers are still running. A client that hangs up does not stop its handler, and
 * server.close() only waits for sockets, so a clean stop waits here before closing the store under them.
 */
export interface InFlightRequests {
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves true when nothing is running, or false after `timeoutMs` (a stuck handler must not hang Ctrl-C). */
  settled(timeoutMs: number): Promise<boolean>;
}

export const createInFlightRequests = (): InFlightRequests => {
  let running = 0;
  let waiters: (() => void)[] = [];
  const done = () => {
    running -= 1;
    if (running === 0) {
      waiters.forEach((wake) => wake());
      waiters = [];
    }
  };
  return {
    track(work) {
      running += 1;
      return work.finally(done);
    },
    settled(timeoutMs) {
      if (running === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
};
