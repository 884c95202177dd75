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

export const createReconnector = (connect: () => void, onStatus: (status: LiveStatus, detail?: string) => void, release: () => void): Reconnector => {
  let failures = 0;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const close = () => {
    closed = true;
    clearTimeout(retryTimer);
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
