import { cognitoSignIn } from '../lib/cognitoSignIn';
import type { AwsPageConfig, QueueView } from '../lib/contract';
import { byId, h, show } from '../lib/dom';
import { songLine } from '../lib/format';
import { followRotation } from '../lib/follow';
import { renderLiveStatus } from '../lib/liveStatus';
import { joinUrl, LOCAL_PAGE_CONFIG, pageConfig } from '../lib/pageConfig';
import { qrCode } from '../lib/qr';
import { rotationApi } from '../lib/rotationApi';
import { createViewStore } from '../lib/viewStore';

/**
 * The venue screen: who is singing, who is on deck, who comes after — pushed live, never reloaded.
 * It signs nobody in. On one machine its link (from the KJ console) carries a live ticket that can only watch
 * this rotation, in the URL fragment, which browsers never send to a server or put in a Referer. In AWS it
 * subscribes with the deployment's subscribe-only key (GET /config); the channel carries changes only, so the
 * screen fills in at once when this browser holds the KJ's sign-in (the usual case: the console's own laptop
 * drives the screen), and otherwise at the rotation's next change.
 */
const COMING_UP = 5;

const rotationId = new URLSearchParams(window.location.search).get('rotation');
const link = new URLSearchParams(window.location.hash.slice(1));
const ticket = link.get('ticket');
const expires = link.get('expires');

const say = (text: string) => {
  const message = byId('venue-message');
  message.textContent = text;
  show(message, true);
};

let shownCode: string | undefined;
/** The join code and its QR code: drawn once per code (a live update must not redraw a code being scanned). */
const renderJoin = (joinCode: string | undefined) => {
  if (!joinCode || joinCode === shownCode) return;
  shownCode = joinCode;
  pageConfig()
    .then((config) => {
      if (shownCode !== joinCode) return;
      const url = joinUrl(config, joinCode);
      byId('join-qr').replaceChildren(qrCode(url, `QR code: join the rotation at ${url}`));
      byId('join-url').textContent = config.publicUrl.replace(/^https?:\/\//, '') + '/singer.html';
      byId('join-code').textContent = joinCode;
    })
    .catch(() => {
      shownCode = undefined; // tried again with the next update
    });
};

const render = (view: QueueView) => {
  renderJoin(view.joinCode);
  document.title = `${view.venue}: karaoke`;
  byId('venue-name').textContent = view.venue;
  const { current, upcoming } = view;
  const closed = view.status === 'closed';
  document.body.classList.toggle('closed', closed); // the night is over: only the goodbye stays up
  byId('now-label').textContent = closed ? 'Closed' : !current ? 'On stage' : current.state === 'called' ? 'Called to the stage' : 'Now singing';
  byId('now-name').textContent = closed ? "That's a wrap!" : current ? current.displayName : upcoming.length ? 'Starting soon' : 'The stage is open';
  byId('now-name').classList.toggle('placeholder', closed || !current);
  byId('now-song').textContent = closed ? 'Thanks for singing tonight.' : current ? songLine(current.song) : upcoming.length ? '' : 'Join from your phone and sing.';

  const deck = closed ? undefined : upcoming[0];
  byId('deck-name').textContent = deck ? deck.displayName : '—';
  byId('deck-song').textContent = deck ? songLine(deck.song) : '';

  const later = closed ? [] : upcoming.slice(1, 1 + COMING_UP);
  byId('later').replaceChildren(
    ...(later.length
      ? later.map((u) => h('li', {}, h('span', { class: 'turns' }, String(u.turnsAway)), u.displayName))
      : [h('li', { class: 'empty' }, 'Nobody else yet: grab the mic!')]),
  );
};

/** The current view, read with the KJ's sign-in kept in this browser; null without one (never a sign-in prompt). */
const firstView = async (config: AwsPageConfig, rotation: string): Promise<QueueView | null> => {
  try {
    const kj = await cognitoSignIn(config, 'kj').session();
    return kj ? await rotationApi(kj.token, rotation).queue() : null;
  } catch {
    return null; // the next change fills the screen in
  }
};

const showScreen = async () => {
  const config = await pageConfig().catch(() => LOCAL_PAGE_CONFIG);
  const aws = config.mode === 'aws';
  if (!rotationId || (!ticket && !aws)) return say('Open this screen from the KJ console, with “Open the venue screen”.');
  if (!aws && expires && Date.parse(expires) < Date.now()) return say("This screen's link has expired. Open a new one from the KJ console.");
  // AWS pushes only changes: until the first one, say so rather than show an empty stage as if it were current.
  if (aws) say('Waiting for the next change in the rotation…');
  const store = createViewStore((view) => {
    show(byId('venue-message'), false);
    render(view);
  });
  const readView = async () => {
    if (config.mode !== 'aws') return;
    const view = await firstView(config, rotationId);
    if (view) store.apply(view);
  };
  void readView();
  const status = byId('live-status');
  followRotation(config, {
    rotationId,
    ticket: async () => ticket ?? '',
    onView: (view) => store.apply(view),
    onStatus: (state, detail) => renderLiveStatus(status, state, detail),
    // A view too large to push comes with its head, all this screen shows; one in the KJ's own browser reads it whole.
    onMissed: (tooLarge) => {
      if (tooLarge) store.apply(tooLarge.head);
      return readView();
    },
  });
};

void showScreen();
