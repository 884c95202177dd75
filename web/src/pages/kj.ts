import { renderRotationList, enableDragToMove } from '../kj/rotationList';
import { createTimelinePanel } from '../kj/timelinePanel';
import { firstTurnButton, renderTurnPanel } from '../kj/turnPanel';
import { renderUpcomingList } from '../kj/upcomingList';
import { ApiError } from '../lib/api';
import { pageUrl } from '../lib/config';
import type { Placement, QueueView, RotationSettings } from '../lib/contract';
import { byId, field, onSubmit, refocusIfLost, runAction, show } from '../lib/dom';
import { randomId } from '../lib/ids';
import { watchRotation } from '../lib/live';
import { renderLiveStatus } from '../lib/liveStatus';
import { openRotation, rotationApi, type RotationApi } from '../lib/rotationApi';
import { currentSession, signInAsKj, signOut, type Session } from '../lib/session';
import { songFrom } from '../lib/songForm';
import { createViewStore } from '../lib/viewStore';
import { setUpSongbookPanel } from '../kj/songbookPanel';

/** The KJ console: open the night, run the turns, shape the rotation, read the log. */
let rotationId = new URLSearchParams(window.location.search).get('rotation');
let session: Session | null = currentSession('kj');
let api: RotationApi | null = null;
let timeline: ReturnType<typeof createTimelinePanel> | null = null;
let lastVersion = 0;

const errorBox = byId('error');
const showError = (message: string): void => {
  errorBox.textContent = message;
};
const rotationList = byId<HTMLOListElement>('rotation-list');

const store = createViewStore((view: QueueView) => {
  document.title = `${view.venue}: KJ console`;
  byId('venue-title').textContent = `${view.venue}: KJ console`;
  renderTurnPanel(view);
  renderRotationList(rotationList, view, moveSinger);
  renderUpcomingList(byId<HTMLOListElement>('upcoming'), view);
  show(byId('close-rotation'), view.status === 'open');
  if (view.version !== lastVersion) timeline?.changed();
  lastVersion = view.version;
});

const refresh = async () => {
  if (api) store.apply(await api.queue());
};

const signedOut = () => {
  signOut('kj');
  session = null;
  showError('Your sign-in has expired. Please sign in again.');
  start();
};

/** A console action: do it, re-read the queue at once (the live feed follows), keep the keyboard focus. */
const act = (button: HTMLElement | null, work: (api: RotationApi) => Promise<unknown>, focusAfter: () => HTMLElement | null = firstTurnButton) =>
  runAction(
    button,
    async () => {
      if (!api) return;
      errorBox.textContent = '';
      try {
        await work(api);
        await refresh();
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return signedOut();
        throw err;
      }
      refocusIfLost(focusAfter);
    },
    showError,
  );

function moveSinger(singerId: string, position: number): void {
  const button = document.activeElement instanceof HTMLButtonElement ? document.activeElement : null;
  void act(button, (api) => api.move(singerId, position), () =>
    rotationList.querySelector<HTMLElement>(`[data-focus-key="up-${CSS.escape(singerId)}"]:not(:disabled), [data-focus-key="down-${CSS.escape(singerId)}"]`),
  );
}

const currentTurnId = () => store.current?.current?.turnId;

/** Which step the KJ is at: sign in, open a rotation, then the console. */
function start(): void {
  show(byId('sign-in'), !session);
  show(byId('open-rotation'), !!session && !rotationId);
  show(byId('console'), !!session && !!rotationId);
  show(byId('songbook'), !!session);
  if (!session || !rotationId) return;

  api = rotationApi(session.token, rotationId);
  const ticketApi = api;
  timeline = createTimelinePanel(byId<HTMLOListElement>('timeline'), api);
  const singerLink = byId<HTMLAnchorElement>('singer-link');
  singerLink.href = pageUrl('singer.html', { rotation: rotationId });
  singerLink.textContent = singerLink.href;

  const status = byId('live-status');
  watchRotation({
    rotationId,
    ticket: async () => (await ticketApi.liveTicket()).ticket,
    onView: (view) => store.apply(view),
    onStatus: (state, detail) => renderLiveStatus(status, state, detail),
  });
  const forRotation = rotationId;
  // The venue screen gets its own ticket: read-only and for this rotation, so its link is safe on a public screen.
  api
    .liveTicket()
    .then(({ ticket, expiresAt }) => {
      byId<HTMLAnchorElement>('venue-link').href = pageUrl('venue.html', { rotation: forRotation }, { ticket, expires: expiresAt });
    })
    .catch((err: unknown) => showError(`The venue screen link is not ready: ${err instanceof Error ? err.message : String(err)}`));
  refresh().catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 401) return signedOut();
    showError(err instanceof Error ? err.message : String(err));
  });
  void timeline.load();
}

onSubmit(
  byId<HTMLFormElement>('sign-in-form'),
  async (data) => {
    errorBox.textContent = '';
    session = await signInAsKj(field(data, 'name'), field(data, 'passphrase'));
    start();
    (rotationId ? firstTurnButton() : byId('venue'))?.focus();
  },
  showError,
);

onSubmit(
  byId<HTMLFormElement>('open-form'),
  async (data) => {
    if (!session) return;
    errorBox.textContent = '';
    const settings: RotationSettings = {
      placement: field(data, 'placement') as Placement,
      alertAheadTurns: Number(field(data, 'alertAheadTurns')),
      noShowTimeoutSeconds: Number(field(data, 'noShowTimeoutSeconds')),
      maxPendingSongs: Number(field(data, 'maxPendingSongs')),
      maxNoShows: Number(field(data, 'maxNoShows')),
      autoAdvance: data.get('autoAdvance') === 'on',
      ...(data.get('songsFromBookOnly') === 'on' ? { songsFromBookOnly: true } : {}),
    };
    const opened = await openRotation(session.token, field(data, 'venue'), settings);
    rotationId = opened.rotationId;
    // The rotation lives in the URL: a reload, a bookmark or a second screen opens the same night.
    window.history.replaceState(null, '', `?${new URLSearchParams({ rotation: rotationId })}`);
    start();
    byId('walk-up-name').focus();
  },
  showError,
);

const onClick = (id: string, work: (api: RotationApi) => Promise<unknown>) => {
  const button = byId(id);
  button.addEventListener('click', () => act(button, work));
};
onClick('call-next', (api) => api.callNext());
onClick('start-turn', (api) => api.turnAction(currentTurnId()!, 'start'));
onClick('complete-turn', (api) => api.turnAction(currentTurnId()!, 'complete'));
onClick('forfeit-turn', (api) => api.turnAction(currentTurnId()!, 'forfeit'));

const walkUpForm = byId<HTMLFormElement>('walk-up-form');
onSubmit(
  walkUpForm,
  (data) =>
    act(
      null,
      async (api) => {
        await api.join({
          singerId: `walkup-${randomId(6)}`,
          displayName: field(data, 'displayName'),
          song: songFrom(data),
          placement: field(data, 'placement') as Placement,
        });
        walkUpForm.reset();
      },
      () => byId('walk-up-name'),
    ),
  showError,
);

const closeConfirm = byId('close-confirm');
byId('close-rotation').addEventListener('click', () => {
  show(closeConfirm, true);
  byId('close-no').focus();
});
byId('close-no').addEventListener('click', () => {
  show(closeConfirm, false);
  byId('close-rotation').focus();
});
const closeYes = byId('close-yes');
closeYes.addEventListener('click', () =>
  act(
    closeYes,
    async (api) => {
      await api.close();
      show(closeConfirm, false);
    },
    () => byId('now-heading'),
  ),
);

setUpSongbookPanel(() => session?.token ?? null, showError);
enableDragToMove(rotationList, moveSinger);
start();
