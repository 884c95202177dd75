/**
 * A list that keeps only its newest `capacity` entries: for the in-memory records a long-running process keeps
 * for inspection (failed deliveries, dead letters, finished executions), which must not grow without bound.
 */
export interface RingBuffer<T> {
  push(item: T): void;
  /** The kept entries, oldest first. */
  toArray(): T[];
  /** How many entries were pushed out to make room, since the start. */
  readonly dropped: number;
}

export const createRingBuffer = <T>(capacity: number, onEvict: (item: T) => void = () => {}): RingBuffer<T> => {
  if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number ≥ 1, got ${capacity}`);
  const slots: T[] = [];
  let start = 0; // index of the oldest entry once the buffer is full
  let dropped = 0;
  return {
    push(item) {
      if (slots.length < capacity) {
        slots.push(item);
        return;
      }
      const evicted = slots[start]!;
      slots[start] = item;
      start = (start + 1) % capacity;
      dropped += 1;
      onEvict(evicted);
    },
    toArray: () => [...slots.slice(start), ...slots.slice(0, start)],
    get dropped() {
      return dropped;
    },
  };
};
