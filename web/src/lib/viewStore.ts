import type { QueueView } from './contract';

/**
 * The newest queue view the page has seen. Views arrive from the live feed and from reads after the page's
 * own actions, in any order; an older version never overwrites a newer one.
 */
export const createViewStore = (render: (view: QueueView) => void) => {
  let latest: QueueView | null = null;
  return {
    apply(view: QueueView): void {
      if (latest && view.version < latest.version) return;
      latest = view;
      render(view);
    },
    get current(): QueueView | null {
      return latest;
    },
  };
};
