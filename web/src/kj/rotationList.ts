import type { QueueView } from '../lib/contract';
import { h, replaceChildrenKeepingFocus, singlePress } from '../lib/dom';
import { plural } from '../lib/format';

export type MoveSinger = (singerId: string, position: number) => void;

/**
 * The rotation in calling order (API.md `singers`: from the next slot round to the current one). A move to
 * index p is exactly API.md's `move {position: p}`: the slot is taken out, then put at p of the list without it,
 * so "up" is i−1, "down" is i+1, and a drop on row j is j, from either direction.
 */
export const renderRotationList = (list: HTMLOListElement, view: QueueView, move: MoveSinger): void => {
  const onStage = view.current?.singerId;
  const open = view.status === 'open';
  const last = view.singers.length - 1;
  const rows = view.singers.map((s, i) => {
    const fixed = !open || s.singerId === onStage; // the singer of an open turn cannot be moved
    const badges = [
      s.singerId === onStage ? h('span', { class: 'badge' }, 'on stage') : null,
      s.status === 'away' ? h('span', { class: 'badge' }, 'away') : null,
      s.skipNext ? h('span', { class: 'badge' }, 'skipping') : null,
    ];
    return h(
      'li',
      { 'data-singer': s.singerId, 'data-index': i, draggable: fixed ? 'false' : 'true' },
      h(
        'span',
        { class: 'slot' },
        h('span', { class: 'who' }, s.displayName),
        ...badges,
        h('span', { class: 'meta' }, `${plural(s.pendingSongs, 'song')} queued · ${plural(s.turnsCompleted, 'song')} sung`),
      ),
      h(
        'span',
        { class: 'moves' },
        h('button', {
          type: 'button', class: 'icon secondary', 'aria-label': `Move ${s.displayName} up`, 'data-focus-key': `up-${s.singerId}`,
          disabled: fixed || i === 0, onclick: singlePress(() => move(s.singerId, i - 1)),
        }, '↑'),
        h('button', {
          type: 'button', class: 'icon secondary', 'aria-label': `Move ${s.displayName} down`, 'data-focus-key': `down-${s.singerId}`,
          disabled: fixed || i === last, onclick: singlePress(() => move(s.singerId, i + 1)),
        }, '↓'),
      ),
    );
  });
  replaceChildrenKeepingFocus(list, rows.length ? rows : [h('li', { class: 'hint' }, 'Nobody has joined yet. Share the singer link!')]);
};

/** Drag a row onto another to move it there (mouse and touchpads; the ↑ ↓ buttons do the same by keyboard). */
export const enableDragToMove = (list: HTMLOListElement, move: MoveSinger): void => {
  const rowOf = (target: EventTarget | null) => (target instanceof Element ? target.closest<HTMLLIElement>('li[data-singer]') : null);
  const clearTargets = () => list.querySelectorAll('.drop-target').forEach((row) => row.classList.remove('drop-target'));
  list.addEventListener('dragstart', (event) => {
    const row = rowOf(event.target);
    if (!row || row.getAttribute('draggable') !== 'true' || !event.dataTransfer) return;
    event.dataTransfer.setData('text/plain', row.dataset.singer!);
    event.dataTransfer.effectAllowed = 'move';
  });
  list.addEventListener('dragover', (event) => {
    const row = rowOf(event.target);
    if (!row) return;
    event.preventDefault();
    clearTargets();
    row.classList.add('drop-target');
  });
  list.addEventListener('dragleave', (event) => rowOf(event.target)?.classList.remove('drop-target'));
  list.addEventListener('drop', (event) => {
    const row = rowOf(event.target);
    clearTargets();
    const singerId = event.dataTransfer?.getData('text/plain');
    if (!row || !singerId) return;
    event.preventDefault();
    if (row.dataset.singer !== singerId) move(singerId, Number(row.dataset.index));
  });
  list.addEventListener('dragend', clearTargets);
};
