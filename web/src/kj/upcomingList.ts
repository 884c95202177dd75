import type { QueueView } from '../lib/contract';
import { h } from '../lib/dom';
import { songLine, waitText } from '../lib/format';

/** Who will be called, in order, as if every turn from now completed (API.md `upcoming`). */
export const renderUpcomingList = (list: HTMLOListElement, view: QueueView, wait: (estimatedWaitSeconds: number) => number): void => {
  list.replaceChildren(
    ...(view.upcoming.length
      ? view.upcoming.map((u) =>
          h(
            'li',
            {},
            h('span', { class: 'who' }, `${u.turnsAway}. ${u.displayName}`),
            h('span', { class: 'meta' }, `${songLine(u.song)} · ${waitText(wait(u.estimatedWaitSeconds))}`),
          ),
        )
      : [h('li', { class: 'hint' }, 'Nobody is waiting with a song.')]),
  );
};
