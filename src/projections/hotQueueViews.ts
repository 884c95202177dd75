/**
 * The queue view held hot (DESIGN.md "The command path"): on one machine the queue-view projection hands
 * each state it has just applied and written to this, and reads and live updates render from it instead of
 * reading the item back and decoding it. Bounded: least recently used rotations are dropped first, and a
 * rotation not held is read from the table (then held). The table stays the source after a restart.
 */
import { queueView, withHeadHash, type QueueView, type RotationState } from '../aggregates/rotation';
import { createBoundedMap } from '../boundedMap';
import { queueViewJson } from './queueViewJson';

export interface HotQueueView {
  readonly state: RotationState;
  readonly version: number;
  /** Hash of the commit at `version`, which the queue view carries. */
  readonly headHash?: string;
}

export interface HotQueueViews {
  get(rotationId: string): HotQueueView | undefined;
  /** Keeps the view only if it is newer than the one held: an older write arriving late changes nothing. */
  set(rotationId: string, view: HotQueueView): void;
  /** Never drops this rotation until unpinned: its view is newer than the table's (written behind). */
  pin(rotationId: string): void;
  unpin(rotationId: string): void;
}

export const DEFAULT_HOT_ROTATIONS = 200;

export const createHotQueueViews = ({ maxRotations = DEFAULT_HOT_ROTATIONS } = {}): HotQueueViews => {
  const pinned = new Set<string>();
  const views = createBoundedMap<string, HotQueueView>(maxRotations, { pinned: (rotationId) => pinned.has(rotationId) });
  return {
    get: (rotationId) => views.get(rotationId),
    set(rotationId, view) {
      const held = views.peek(rotationId);
      if (held && held.version >= view.version) return;
      views.set(rotationId, view);
    },
    pin: (rotationId) => void pinned.add(rotationId),
    unpin(rotationId) {
      pinned.delete(rotationId);
      views.trim();
    },
  };
};

/** The queue view of a held state, rendered for `now`, carrying the head hash as the stored view does. */
export const renderQueueView = ({ state, version, headHash }: HotQueueView, now: string): QueueView =>
  withHeadHash(queueView(state, { version, now }), headHash);

/**
 * Seconds the open turn has been on stage at `now`, or null when the view does not depend on the time at all:
 * the one way `now` enters a queue view (estimatedWaitSeconds, src/aggregates/rotation/view.ts), so two reads
 * with the same key render the very same view.
 */
const clockKey = ({ currentTurn }: RotationState, now: string): number | null => {
  if (!currentTurn || currentTurn.startedAt === null) return null;
  const elapsed = Math.floor((Date.parse(now) - Date.parse(currentTurn.startedAt)) / 1000);
  return Number.isFinite(elapsed) ? Math.max(0, elapsed) : 0;
};

/** The JSON of each held view, per clock key: phones reading between commits share one serialization. */
interface Rendered {
  readonly key: number | null;
  readonly json: string;
  bytes?: Uint8Array<ArrayBuffer>;
}
const rendered = new WeakMap<HotQueueView, Rendered>();

const renderedEntry = (held: HotQueueView, now: string): Rendered => {
  const key = clockKey(held.state, now);
  const known = rendered.get(held);
  if (known && known.key === key) return known;
  const entry: Rendered = { key, json: queueViewJson(held, now) };
  rendered.set(held, entry);
  return entry;
};

/** `JSON.stringify(renderQueueView(held, now))`, made once per held view and second on stage. */
export const renderQueueViewJson = (held: HotQueueView, now: string): string => renderedEntry(held, now).json;

/** The same JSON as UTF-8 bytes, encoded once too: what a read sends as it is. */
export const renderQueueViewBytes = (held: HotQueueView, now: string): Uint8Array<ArrayBuffer> => {
  const entry = renderedEntry(held, now);
  return (entry.bytes ??= Buffer.from(entry.json, 'utf8'));
};
