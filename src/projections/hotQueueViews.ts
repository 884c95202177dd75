/**
 * The queue view held hot (DESIGN.md "The command path"): on one machine the queue-view projection hands
 * each state it has just applied and written to this, and reads and live updates render from it instead of
 * reading the item back and decoding it. Bounded: least recently used rotations are dropped first, and a
 * rotation not held is read from the table (then held). The table stays the source after a restart.
 */
import { queueView, type QueueView, type RotationState } from '../aggregates/rotation';

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
}

export const DEFAULT_HOT_ROTATIONS = 200;

export const createHotQueueViews = ({ maxRotations = DEFAULT_HOT_ROTATIONS } = {}): HotQueueViews => {
  const views = new Map<string, HotQueueView>();
  return {
    get(rotationId) {
      const view = views.get(rotationId);
      if (view) {
        views.delete(rotationId); // re-insert: Map order is the LRU order
        views.set(rotationId, view);
      }
      return view;
    },
    set(rotationId, view) {
      const held = views.get(rotationId);
      if (held && held.version >= view.version) return;
      views.delete(rotationId);
      views.set(rotationId, view);
      if (views.size > maxRotations) views.delete(views.keys().next().value!);
    },
  };
};

/** The queue view of a held state, rendered for `now`, carrying the head hash as the stored view does. */
export const renderQueueView = ({ state, version, headHash }: HotQueueView, now: string): QueueView => {
  const view = queueView(state, { version, now });
  return headHash === undefined ? view : { ...view, headHash };
};
