import { renderRotationList, enableDragToMove } from '../kj/rotationList';
import { createTimelinePanel } from '../kj/timelinePanel';
import { firstTurnButton, renderTurnPanel } from '../kj/turnPanel';
import { renderUpcomingList } from '../kj/upcomingList';
import { ApiError } from '../lib/api';
import { pageUrl } from '../lib/config';
import type { Placement, QueueView, RotationSettings } from '../lib/contract';
import { cognitoSignIn, type CognitoSignIn } from '../lib/cognitoSignIn';
import type { PageConfig } from '../lib/contract';
import { askFirst, byId, field, h, onPress, onSubmit, refocusIfLost, runAction, show } from '../lib/dom';
import { followRotation } from '../lib/follow';
import { renderLiveStatus } from '../lib/liveStatus';
import { joinUrl, LOCAL_PAGE_CONFIG, pageConfig } from '../lib/pageConfig';
import { qrCode } from '../lib/qr';
import { openRotation, rotationApi, type RotationApi } from '../lib/rotationApi';
import { currentSession, signInAsKj, signOut, type Session } from '../lib/session';
import { songFrom } from '../lib/songForm';
import { createViewStore } from '../lib/viewStore';
import { agedWaits, WAIT_TICK_MS } from '../lib/waitClock';
import { setUpSongbookPanel } from '../kj/songbookPanel';

/** The KJ console: open the night, run the turns, shape the rotation, read the log. */
let rotationId = new URLSearchParams(window.location.search).get('rotation');
let session: Session | null = currentSession('kj');
let api: RotationApi | null = null;
let timeline: ReturnType<typeof createTimelinePanel> | null = null;
let lastVersion = 0;
/** How this place signs in and goes live (GET /config); Cognito's managed sign-in in AWS. */
let config: PageConfig = LOCAL_PAGE_CONFIG;
let cognito: CognitoSignIn | null = null;
let live: { close(): void } | null = null;

const errorBox = byId('error');
const showError = (message: string): void => {
  errorBox.textContent = message;
};
const rotationList = byId<HTMLOListElement>('rotation-list');

let sharedCode: string | undefined;
/** The join code, its QR code and link, once per code: phones scan this screen too. */
const renderShare = (joinCode: string | undefined) => {
  if (!joinCode || joinCode === sharedCode) return;
  sharedCode = joinCode;
  pageConfig()
    .then((config) => {
      if (sharedCode !== joinCode) return;
      const url = joinUrl(config, joinCode);
      byId('join-code').textContent = joinCode;
      byId('join-qr').replaceChildren(qrCode(url, `QR code: join the rotation at ${url}`));
      const singerLink = byId<HTMLAnchorElement>('singer-link');
      singerLink.href = url;
      singerLink.textContent = url;
    })
    .catch(() => {
      sharedCode = undefined;
    });
};

/** When the shown view arrived: its waits run down from then. */
let viewArrived = Date.now();
const store = createViewStore((view: QueueView) => {
  renderShare(view.joinCode);
  document.title = `${view.venue}: KJ console`;
  byId('venue-title').textContent = `${view.venue}: KJ console`;
  renderTurnPanel(view);
  renderRotationList(rotationList, view, moveSinger);
  viewArrived = Date.now();
  renderUpcomingList(byId<HTMLOListElement>('upcoming'), view, agedWaits(view, viewArrived, viewArrived));
  show(byId('close-rotation'), view.status === 'open');
  if (view.version !== lastVersion) timeline?.changed();
  lastVersion = view.version;
});

// While a song plays nothing new may arrive for minutes: the waits run down meanwhile (lib/waitClock.ts).
setInterval(() => {
  const view = store.current;
  if (view) renderUpcomingList(byId<HTMLOListElement>('upcoming'), view, agedWaits(view, viewArrived, Date.now()));
}, WAIT_TICK_MS);

const refresh = async () => {
  if (api) store.apply(await api.queue());
};

const signedOut = () => {
  const name = session?.name ?? '';
  signOut('kj');
  void cognito?.signOut();
  session = null;
  showError('Your sign-in has expired. Please sign in again.');
  start();
  // The keyboard goes to the sign-in: the name kept, the passphrase to type (the AWS page has only a button there).
  const nameField = document.getElementById('kj-name') as HTMLInputElement | null;
  if (nameField && name) nameField.value = name;
  (document.getElementById(name ? 'kj-passphrase' : 'kj-name') ?? byId('sign-in-form').querySelector('button'))?.focus();
};

/**
 * Refusals that mean the night moved on before the press arrived (another screen, the turn timer, a singer who
 * left): said in words, without the ids the API's message carries.
 */
const MOVED_ON: Record<string, string> = {
  'turn-not-open': 'That turn had already ended or changed. The console now shows where the night is.',
  'not-found': 'That singer is no longer in the rotation. The console now shows who is.',
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
        // Refused because the console was behind: show the night as it is, so the next press is the right one.
        if (err instanceof ApiError && [404, 409, 422].includes(err.status)) {
          await refresh().catch(() => undefined);
          throw new Error(MOVED_ON[err.code] ?? err.message);
        }
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
  if (!session || !rotationId) {
    live?.close();
    live = null;
    return;
  }

  api = rotationApi(session.token, rotationId);
  const ticketApi = api;
  timeline = createTimelinePanel(byId<HTMLOListElement>('timeline'), api);
  // Until the first view brings the join code, the link goes straight to this rotation's singer page.
  const singerLink = byId<HTMLAnchorElement>('singer-link');
  if (!sharedCode) {
    singerLink.href = pageUrl('singer.html', { rotation: rotationId });
    singerLink.textContent = singerLink.href;
  }

  const status = byId('live-status');
  const signedIn = session;
  live?.close();
  live = followRotation(config, {
    rotationId,
    ticket: async () => (await ticketApi.liveTicket()).ticket,
    token: () => signedIn.token,
    onView: (view) => store.apply(view),
    onStatus: (state, detail) => renderLiveStatus(status, state, detail),
    onMissed: () => refresh(),
  });
  const forRotation = rotationId;
  if (config.mode === 'aws') {
    // In AWS the venue screen subscribes with the deployment's subscribe-only key: its link needs no ticket.
    byId<HTMLAnchorElement>('venue-link').href = pageUrl('venue.html', { rotation: forRotation });
  } else {
    // The venue screen gets its own ticket: read-only and for this rotation, so its link is safe on a public screen.
    api
      .liveTicket()
      .then(({ ticket, expiresAt }) => {
        byId<HTMLAnchorElement>('venue-link').href = pageUrl('venue.html', { rotation: forRotation }, { ticket, expires: expiresAt });
      })
      .catch((err: unknown) => showError(`The venue screen link is not ready: ${err instanceof Error ? err.message : String(err)}`));
  }
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
    if (cognito) return cognito.signIn(); // leaves for the managed sign-in page, which sends the KJ back here
    session = await signInAsKj(field(data, 'name'), field(data, 'passphrase'));
    // Not kept in the page: a later sign-in (the passphrase changed) starts from an empty field.
    byId<HTMLInputElement>('kj-passphrase').value = '';
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
    // A number the KJ emptied is left out: the rotation takes its default (API.md), not a refused 0.
    const numbers = Object.fromEntries(
      (['alertAheadTurns', 'noShowTimeoutSeconds', 'maxPendingSongs', 'maxNoShows'] as const)
        .filter((name) => field(data, name) !== '')
        .map((name) => [name, Number(field(data, name))]),
    );
    const settings: RotationSettings = {
      placement: field(data, 'placement') as Placement,
      ...numbers,
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
  onPress(button, () => void act(button, work));
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

askFirst({ open: 'close-rotation', panel: 'close-confirm', no: 'close-no', yes: 'close-yes' }, (yes, hide) =>
  act(
    yes,
    async (api) => {
      await api.close();
      hide();
    },
    () => byId('now-heading'),
  ),
);

setUpSongbookPanel(() => session?.token ?? null, showError);
enableDragToMove(rotationList, moveSinger);
start();
void boot();

/**
 * Learns how this place signs in (GET /config). The page starts the local way at once (npm start answers
 * local); in AWS it then switches to Cognito's sign-in, finishing a return from it first, and starts again.
 */
async function boot(): Promise<void> {
  const answered = await pageConfig().catch(() => LOCAL_PAGE_CONFIG);
  if (answered.mode !== 'aws') return;
  config = answered;
  cognito = cognitoSignIn(config, 'kj');
  byId('sign-in-form').replaceChildren(h('button', { type: 'submit' }, 'Sign in as KJ'));
  try {
    session = await cognito.session();
  } catch (err) {
    showError(err instanceof Error ? err.message : String(err));
  }
  rotationId = new URLSearchParams(window.location.search).get('rotation'); // put back after the sign-in trip
  if (session && session.role !== 'kj') {
    showError(`${session.name} is signed in, but not as a KJ. A KJ is made with \`rotation make-kj\` (see infra/README.md).`);
    session = null;
  }
  start();
}
