/**
 * The circular order of slots with its two markers. Pure helpers over plain arrays:
 * the array's first index means nothing, only the circular order and the markers do.
 */
export interface Circle {
  readonly order: readonly string[];
  readonly top: string | null;
  readonly cursor: string | null;
}

const insertAt = (order: readonly string[], index: number, id: string): string[] => [
  ...order.slice(0, index),
  id,
  ...order.slice(index),
];

export const insertBefore = (order: readonly string[], anchor: string, id: string): string[] =>
  insertAt(order, order.indexOf(anchor), id);

export const insertAfter = (order: readonly string[], anchor: string, id: string): string[] =>
  insertAt(order, order.indexOf(anchor) + 1, id);

const neighbour = (order: readonly string[], id: string, step: 1 | -1): string =>
  order[(order.indexOf(id) + step + order.length) % order.length]!;

/**
 * Where a call's scan starts: the slot after the cursor (top when there is no cursor), so the cursor's own slot
 * comes last. `indexOf` finds a slot's (first) index; a caller that scans many times passes a quicker one.
 */
export const scanStart = ({ order, top, cursor }: Circle, indexOf: (id: string) => number = (id) => order.indexOf(id)): number =>
  order.length === 0 ? 0 : cursor !== null ? (indexOf(cursor) + 1) % order.length : Math.max(0, indexOf(top ?? ''));

/** Every slot once, in the order a call scans them (from scanStart). */
export const scanOrder = (circle: Circle): string[] => {
  const { order } = circle;
  if (order.length === 0) return [];
  const start = scanStart(circle);
  return [...order.slice(start), ...order.slice(0, start)];
};

/** Takes a slot out, first handing `top` to the next slot and `cursor` to the previous one if it held them. */
export const removeSlot = (circle: Circle, id: string): Circle => {
  const { order } = circle;
  if (!order.includes(id)) return circle;
  const remaining = order.filter((slot) => slot !== id);
  if (remaining.length === 0) return { order: [], top: null, cursor: null };
  return {
    order: remaining,
    top: circle.top === id ? neighbour(order, id, 1) : circle.top,
    cursor: circle.cursor === id ? neighbour(order, id, -1) : circle.cursor,
  };
};

/**
 * Takes a slot out (with the hand-over) and puts it at `position` of the scan order as it stands without it,
 * so that afterwards the `singers` view shows it there. The cursor's slot always ends that view, so with a
 * cursor "beyond the end" means just before the current singer; with no cursor, position 0 makes it top.
 */
export const moveSlot = (circle: Circle, id: string, position: number): Circle => {
  const without = removeSlot(circle, id);
  if (without.order.length === 0) return { order: [id], top: id, cursor: null };
  const view = scanOrder(without);
  const lastIndex = without.cursor !== null ? view.length - 1 : view.length;
  const order = insertAt(view, Math.min(position, lastIndex), id);
  return { order, top: without.cursor === null ? order[0]! : without.top, cursor: without.cursor };
};
