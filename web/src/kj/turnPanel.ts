import type { QueueView } from '../lib/contract';
import { byId, h, show } from '../lib/dom';
import { songLine } from '../lib/format';

/** "On stage": who is up, and only the turn buttons that make sense right now. */
export const renderTurnPanel = (view: QueueView): void => {
  const { current, upcoming } = view;
  const open = view.status === 'open';
  const next = upcoming[0];
  byId('now').replaceChildren(
    ...(!open
      ? [h('p', { class: 'now-singer' }, 'The rotation is closed.')]
      : current
        ? [
            h('p', { class: 'now-singer' }, current.displayName),
            h('p', { class: 'now-song' }, songLine(current.song)),
            h('p', { class: 'hint' }, current.state === 'called' ? 'Called: waiting for them to take the stage.' : 'Singing now.'),
          ]
        : [
            h('p', { class: 'now-singer' }, 'Nobody on stage'),
            h('p', { class: 'hint' }, next ? `Next up: ${next.displayName}, ${songLine(next.song)}.` : 'Nobody is waiting for a turn yet.'),
          ]),
  );
  const callNext = byId<HTMLButtonElement>('call-next');
  show(callNext, open && !current);
  callNext.disabled = !next;
  show(byId('start-turn'), open && current?.state === 'called');
  show(byId('complete-turn'), open && !!current);
  show(byId('forfeit-turn'), open && current?.state === 'called');
};

/**
 * After a turn action the pressed button may be gone: the next sensible one takes the focus, or, when there is
 * none (the last song is done and nobody waits), the "On stage" heading, so the keyboard stays in the panel.
 */
export const firstTurnButton = (): HTMLElement | null =>
  byId('turn-actions').querySelector<HTMLElement>('button:not([hidden]):not(:disabled)') ?? byId('now-heading');
