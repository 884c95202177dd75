import type { LiveStatus } from './live';

const MAX_BACKOFF_MS = 30_000;

/** The life of a live connection that reconnects by itself, whatever carries it (SSE locally, AppSync Events in AWS). */
export interface Reconnector {
  /** Closed for good (the page left, or the server refused us): connect() should do nothing. */
  readonly closed: boolean;
  /** A (re)connect attempt begins. */
  connecting(): void;
  /** The connection is up: the backoff starts over. */
  connected(): void;
  /** The connection failed or dropped: try again after a growing, capped delay. */
  retryLater(): void;
  /** Retrying cannot help (signed out, refused): stop and say why. */
  stop(detail: string): void;
  /** The page no longer wants it. */
  close(): void;
}

/**
 * A phone that slept or lost the Wi-Fi may come back holding a connection that died without a word (no FIN ever
 * reached it): the browser still calls it open, nothing arrives, and the page shows a stale queue as live. So
 * whenever the page comes back (visible again, back online, thawed, restored from the back-forward cache), the connection
 * is replaced at once; a new one starts with the current view.
 */
const onComeBack = (revive: () => void): (() => void) => {
  const whenVisible = () => {
    if (document.visibilityState === 'visible') revive();
  };
  const whenRestored = (event: PageTransitionEvent) => {
    if (event.persisted) revive();
  };
  window.addEventListener('online', whenVisible);
  document.addEventListener('visibilitychange', whenVisible);
  document.addEventListener('resume', whenVisible); // a tab the browser froze in the background, thawed
  window.addEventListener('pageshow', whenRestored);
  return () => {
    window.removeEventListener('online', whenVisible);
    document.removeEventListener('visibilitychange', whenVisible);
    document.removeEventListener('resume', whenVisible);
    window.removeEventListener('pageshow', whenRestored);
  };
};

/**
 * `release` drops the current connection without reporting it as a failure (no retryLater from it), and
 * `connect` must give up when a newer call has superseded it while it was waiting (a ticket, a token).
 */
export const createReconnector = (connect: () => void, onStatus: (status: LiveStatus, detail?: string) => void, release: () => void): Reconnector => {
  let failures = 0;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const stopWatching = onComeBack(() => {
    if (closed) return;
    clearTimeout(retryTimer);
    failures = 0;
    release();
    connect();
  });
  const close = () => {
    closed = true;
    clearTimeout(retryTimer);
    stopWatching();
    release();
  };
  return {
    get closed() {
      return closed;
    },
    connecting: () => onStatus(failures === 0 ? 'connecting' : 'reconnecting'),
    connected() {
      failures = 0;
      onStatus('live');
    },
    retryLater() {
      if (closed) return;
      failures += 1;
      onStatus('reconnecting');
      retryTimer = setTimeout(connect, Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures));
    },
    stop(detail) {
      close();
      onStatus('stopped', detail);
    },
    close,
  };
};
