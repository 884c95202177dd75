/**
 * One writer per stream in a process: tasks for one key run one after another, in arrival order, so two
 * commands this process holds for one rotation never race each other for the same version. Keys with no
 * task waiting hold nothing.
 */
export interface OneWriter {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Keys with a task running or waiting (tests, metrics). */
  readonly busy: () => number;
}

export const createOneWriter = (): OneWriter => {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      // A tail never rejects: a failed task does not fail the ones queued behind it, they only wait for it.
      const result = (tails.get(key) ?? Promise.resolve()).then(task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    busy: () => tails.size,
  };
};
