import { ApiError } from '../lib/api';
import type { Contact, PageConfig, QueueView } from '../lib/contract';
import { askFirst, byId, field, h, onPress, onSubmit, refocusIfLost, runAction, show } from '../lib/dom';
import { plural, songLine, turnsAwayText, waitText } from '../lib/format';
import { cognitoSignIn, type CognitoSignIn } from '../lib/cognitoSignIn';
import { followRotation } from '../lib/follow';
import { renderLiveStatus } from '../lib/liveStatus';
import { LOCAL_PAGE_CONFIG, pageConfig } from '../lib/pageConfig';
import { findJoinCode, rotationApi, saveContact, type RotationApi } from '../lib/rotationApi';
import { currentSession, signInAsSinger, signOut, type Session } from '../lib/session';
import { songFrom } from '../lib/songForm';
import { attachSongSearch, songbookApi, type BookSong } from '../lib/songbook';
import { createViewStore } from '../lib/viewStore';
import { agedWaits, WAIT_TICK_MS } from '../lib/waitClock';

/** The singer's phone: join with a song, see when you're up, and manage your night. */
let rotationId = new URLSearchParams(window.location.search).get('rotation');
let session: Session | null = currentSession('singer');
let api: RotationApi | null = null;
let live: { close(): void } | null = null;
/** How this place signs in and goes live (GET /config); Cognito's managed sign-in in AWS. */
let config: PageConfig = LOCAL_PAGE_CONFIG;
let cognito: CognitoSignIn | null = null;

const errorBox = byId('error');
const showError = (message: string): void => {
  errorBox.textContent = message;
};
const setText = (id: string, text: string) => {
  const element = byId(id);
  if (element.textContent !== text) element.textContent = text; // unchanged text is not announced again
};

/** When the shown view arrived: its waits run down from then (lib/waitClock.ts). */
let viewArrived = Date.now();
const store = createViewStore((view) => {
  viewArrived = Date.now();
  render(view);
});
setInterval(() => store.current && render(store.current), WAIT_TICK_MS);

const refresh = async () => {
  if (api) store.apply(await api.queue());
};

/** A signed-in action: runs, then re-reads the queue (the live feed would too, this is just sooner). */
const act = (button: HTMLElement | null, work: (api: RotationApi, me: string) => Promise<void>, focusAfter?: () => HTMLElement | null) =>
  runAction(
    button,
    async () => {
      if (!api || !session) return;
      errorBox.textContent = '';
      try {
        await work(api, session.sub);
        await refresh();
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return signedOut();
        // Refused because this page was behind the night: show it as it is, so the next tap is the right one.
        if (err instanceof ApiError && [404, 409, 422].includes(err.status)) {
          await refresh().catch(() => undefined);
          if (err.code === 'not-found') throw new Error('You are no longer in the rotation (the KJ may have taken you off). You can join again.');
        }
        throw err;
      }
      refocusIfLost(focusAfter ?? (() => byId('status-heading')));
    },
    showError,
  );

const signedOut = () => {
  const name = session?.name ?? '';
  signOut('singer');
  void cognito?.signOut();
  session = null;
  showError('Your sign-in has expired. Please enter your name again.');
  void start();
  // The keyboard goes to the sign-in, with the name they used (the AWS page has only a button there).
  const nameField = document.getElementById('singer-name') as HTMLInputElement | null;
  if (nameField) nameField.value = name;
  (nameField ?? byId('sign-in-form').querySelector('button'))?.focus();
};

function render(view: QueueView): void {
  if (!session) return;
  const me = view.singers.find((s) => s.singerId === session!.sub);
  const open = view.status === 'open';
  document.title = `${view.venue}: sing tonight`;
  setText('venue-title', view.venue);
  show(byId('join'), !me && open);
  show(byId('me'), !!me);
  // Once the night is closed nothing can be queued, alerted or left: only where they stood stays.
  for (const id of ['more', 'contact', 'leave-panel']) show(byId(id), open);
  show(byId('queue'), true);
  // The free-text forms only where the rotation takes songs that are not in the book.
  const bookOnly = view.songsFromBookOnly === true;
  show(byId('join-form'), !bookOnly);
  show(byId('song-form'), !bookOnly);
  show(byId('join-free-hint'), !bookOnly);
  if (bookOnly) showSongbook();

  const onStage = view.current?.singerId === session.sub ? view.current : null;
  const aged = agedWaits(view, viewArrived, Date.now());
  setText('up-banner', onStage ? (onStage.state === 'called' ? `You're up! Head to the stage: ${songLine(onStage.song)}` : "You're on stage. Enjoy it!") : '');

  if (me) {
    const mine = view.upcoming.find((u) => u.singerId === me.singerId);
    const [turn, wait] = !open
      ? ['The night is over', 'Thanks for singing!']
      : onStage
        ? [onStage.state === 'called' ? 'Called to the stage' : 'Singing now', songLine(onStage.song)]
        : mine
          ? [turnsAwayText(mine.turnsAway), `Your song: ${songLine(mine.song)}, ${waitText(aged(mine.estimatedWaitSeconds))}`]
          : me.status === 'away'
            ? ["You're away", 'You keep your place. Tap “I’m back” to get back in line.']
            : ['No songs queued', 'Add a song below to get back in line.'];
    setText('my-turn', turn);
    setText('my-wait', wait);
    setText(
      'my-details',
      `${plural(me.pendingSongs, 'song')} queued · ${plural(me.turnsCompleted, 'song')} sung${me.skipNext ? ' · skipping your next turn' : ''}`,
    );
    const skip = byId<HTMLButtonElement>('skip');
    skip.textContent = me.skipNext ? 'Skipping your next turn' : onStage?.state === 'called' ? 'Not ready: skip this turn' : 'Skip my next turn';
    // A called singer may still pass (the turn ends skipped); otherwise skipping needs a song to skip.
    skip.disabled = !open || me.skipNext || me.status === 'away' || onStage?.state === 'performing' || (!onStage && me.pendingSongs === 0);
    const away = byId<HTMLButtonElement>('away');
    away.textContent = me.status === 'away' ? "I'm back" : 'Step away';
    away.className = me.status === 'away' ? '' : 'secondary';
    away.disabled = !open;
  }

  byId('upcoming').replaceChildren(
    ...(view.upcoming.length
      ? view.upcoming.map((u) =>
          h(
            'li',
            {},
            h('span', { class: u.singerId === session!.sub ? 'who me' : 'who' }, `${u.turnsAway}. ${u.displayName}${u.singerId === session!.sub ? ' (you)' : ''}`),
            h('span', { class: 'meta' }, `${songLine(u.song)} · ${waitText(aged(u.estimatedWaitSeconds))}`),
          ),
        )
      : [h('li', { class: 'hint' }, open ? 'Nobody is waiting yet.' : 'The rotation is closed.')]),
  );
}

/** Which step the singer is at: pick a rotation, say who you are, then the live page (resolves once shown). */
function start(): Promise<void> {
  show(byId('no-rotation'), !rotationId);
  show(byId('sign-in'), !!rotationId && !session);
  if (!rotationId || !session) {
    // Signed out: nothing of the last sign-in's page stays (its buttons would act for nobody).
    for (const id of ['join', 'me', 'queue']) show(byId(id), false);
    byId('up-banner').textContent = '';
    api = null;
    live?.close();
    live = null;
    return Promise.resolve();
  }
  api = rotationApi(session.token, rotationId);
  // The songbook's search, if the KJ has a book (an empty one says so by listing nothing).
  void songbookApi(session.token)
    .search(rotationId, '', 1)
    .then(({ songs }) => songs.length > 0 && showSongbook())
    .catch(() => undefined);
  const ticketApi = api;
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
  return refresh().catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 401) return signedOut();
    // No such rotation, or a link mangled on its way (400: not even a rotation id): ask for the join code.
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) {
      live?.close();
      live = null;
      byId('live-status').textContent = ''; // nothing to follow
      show(byId('no-rotation'), true);
      return showError('There is no rotation with this code. Check the link the KJ shared, or type the join code from the venue screen.');
    }
    showError(err instanceof Error ? err.message : String(err));
  });
}

/** A join code (or, from an old link, a rotation id) → this page for that rotation. */
const openByCode = async (entered: string): Promise<void> => {
  // A link pasted whole (shared in a chat, copied from the KJ console) carries the code or the rotation id.
  const typed = /\/j\/([^/?#\s]+)/.exec(entered)?.[1] ?? /[?&]rotation=([0-9a-f-]{36})/i.exec(entered)?.[1] ?? entered;
  const code = typed.replace(/[\s-]+/g, '').toUpperCase();
  let rotation: string;
  if (/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{5}$/.test(code)) {
    try {
      rotation = (await findJoinCode(code)).rotationId;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) throw new Error(`No open rotation has the code ${code}. Check the code on the venue screen.`);
      throw err;
    }
  } else if (/^[0-9a-f-]{36}$/i.test(typed.trim())) {
    rotation = typed.trim();
  } else {
    throw new Error('A join code is 5 letters and digits, like K7QM4. It is on the venue screen.');
  }
  const url = new URL(window.location.href);
  url.search = new URLSearchParams({ rotation }).toString();
  window.location.assign(url.toString());
};

onSubmit(byId<HTMLFormElement>('rotation-form'), (data) => openByCode(field(data, 'code')), showError);

// Sent here by GET /j/{code} with a code that is not (or no longer) open: say so, and let them type another.
// (Not a return from Cognito's sign-in, whose `code` comes with a `state`: boot() finishes that one.)
const linkQuery = new URLSearchParams(window.location.search);
const codeInLink = linkQuery.has('state') ? null : linkQuery.get('code');
if (!rotationId && codeInLink) {
  byId<HTMLInputElement>('rotation-code').value = codeInLink;
  openByCode(codeInLink).catch((err: unknown) => showError(err instanceof Error ? err.message : String(err)));
}

onSubmit(
  byId<HTMLFormElement>('sign-in-form'),
  async (data) => {
    errorBox.textContent = '';
    if (cognito) return cognito.signIn(); // leaves for the managed sign-in page, which sends the singer back here
    session = await signInAsSinger(field(data, 'name'));
    await start();
    // Next step for the keyboard: the song to join with (the book's search when it shows), or (signing in again)
    // where they stand; never taken from a field the singer is already typing in.
    const searching = document.activeElement === byId('join-search'); // the book's search showed first and has the keys
    if (!searching) (byId('join').hidden ? byId('status-heading') : !byId('join-book').hidden ? byId('join-search') : byId('join-title')).focus();
  },
  showError,
);

const joinForm = byId<HTMLFormElement>('join-form');
onSubmit(
  joinForm,
  (data) =>
    act(null, async (api) => {
      await api.join({ displayName: session!.name, song: songFrom(data) });
      joinForm.reset();
    }),
  showError,
);

const songForm = byId<HTMLFormElement>('song-form');
onSubmit(
  songForm,
  (data) =>
    act(
      null,
      async (api, me) => {
        const song = songFrom(data);
        await api.queueSong(me, song);
        songForm.reset();
        byId('song-added').textContent = `Added ${songLine(song)}.`;
      },
      () => byId('song-title'),
    ),
  showError,
);

/** Tap a song of the book: join with it, or queue it when already in the rotation. */
const pickFromBook = (song: BookSong, button: HTMLButtonElement) =>
  act(
    button,
    async (api, me) => {
      const inRotation = store.current?.singers.some((s) => s.singerId === me);
      if (inRotation) await api.queueSong(me, { bookSongId: song.bookSongId });
      else await api.join({ displayName: session!.name, song: { bookSongId: song.bookSongId } });
      joinSearch.clear();
      moreSearch.clear();
      if (inRotation) byId('song-added').textContent = `Added ${song.title} by ${song.artist}.`;
    },
    () => byId(store.current?.singers.some((s) => s.singerId === session?.sub) ? 'more-search' : 'join-search'),
  );
const bookSearch = (q: string) => songbookApi(session!.token).search(rotationId!, q);
const joinSearch = attachSongSearch({ input: byId('join-search'), results: byId('join-results'), count: byId('join-results-count'), search: bookSearch, onPick: pickFromBook, onError: showError });
const moreSearch = attachSongSearch({ input: byId('more-search'), results: byId('more-results'), count: byId('more-results-count'), search: bookSearch, onPick: pickFromBook, onError: showError });
function showSongbook(): void {
  show(byId('join-book'), true);
  show(byId('more-book'), true);
}

const skip = byId('skip');
onPress(skip, () => void act(skip, (api, me) => api.singerAction(me, 'skip').then(() => undefined)));
const away = byId('away');
onPress(away, () =>
  void act(away, (api, me) => {
    const isAway = store.current?.singers.find((s) => s.singerId === me)?.status === 'away';
    return api.singerAction(me, isAway ? 'back' : 'away').then(() => undefined);
  }),
);

askFirst({ open: 'leave', panel: 'leave-confirm', no: 'leave-no', yes: 'leave-yes' }, (yes, hide) =>
  act(
    yes,
    async (api, me) => {
      await api.leave(me);
      hide();
    },
    () => byId(byId('join-book').hidden ? 'join-title' : 'join-search'), // the song to join with again
  ),
);

onSubmit(
  byId<HTMLFormElement>('contact-form'),
  async (data) => {
    if (!session) return;
    const phone = field(data, 'phone');
    const email = field(data, 'email');
    const contact: Contact = {
      ...(phone ? { phone } : {}),
      ...(email ? { email } : {}),
      channels: data.getAll('channels').map(String) as Contact['channels'],
    };
    errorBox.textContent = '';
    await saveContact(session.token, session.sub, contact);
    byId('contact-saved').textContent = contact.channels.length
      ? `Saved. We'll alert you by ${contact.channels.map((c) => (c === 'sms' ? 'text' : 'email')).join(' and ')} when you're close.`
      : 'Saved. No alerts: watch this page instead.';
  },
  showError,
);

void start();
void boot();

/**
 * Learns how this place signs in (GET /config). The page starts the local way at once (npm start answers
 * local); in AWS it then switches to Cognito's sign-in, finishing a return from it first, and starts again.
 */
async function boot(): Promise<void> {
  const answered = await pageConfig().catch(() => LOCAL_PAGE_CONFIG);
  if (answered.mode !== 'aws') return;
  config = answered;
  cognito = cognitoSignIn(config, 'singer');
  byId('sign-in-heading').textContent = 'Sign in to join the rotation';
  byId('sign-in-form').replaceChildren(h('button', { type: 'submit' }, 'Sign in'));
  try {
    session = await cognito.session();
  } catch (err) {
    showError(err instanceof Error ? err.message : String(err));
  }
  rotationId = new URLSearchParams(window.location.search).get('rotation'); // put back after the sign-in trip
  await start();
}
