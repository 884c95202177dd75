import { ApiError } from './api';
import { apiUrl } from './config';
import type { QueueView } from './contract';
import { createReconnector } from './reconnect';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** Past two missed pings, this much longer is allowed for a slow network before the stream counts as dead. */
const SILENCE_GRACE_MS = 1_000;

export interface LiveFeedOptions {
  readonly rotationId: string;
  /** A live ticket for this rotation: freshly minted when the page is signed in, or the one its link carried. */
  readonly ticket: () => Promise<string>;
  readonly onView: (view: QueueView) => void;
  readonly onStatus: (status: LiveStatus, detail?: string) => void;
}

/**
 * The rotation's queue view, pushed by the server (`GET /rotations/{id}/live`, Server-Sent Events).
 * A dropped connection is retried by the browser itself, after the server's `retry:` delay; a refused one
 * (expired ticket, server restarting) closes the EventSource, so we retry with a new ticket and a backoff.
 */
export const watchRotation = ({ rotationId, ticket, onView, onStatus }: LiveFeedOptions): { close(): void } => {
  let source: EventSource | null = null;
  let attempt = 0;
  const life = createReconnector(() => void connect(), onStatus, () => {
    source?.close();
    source = null;
  });

  async function connect() {
    if (life.closed) return;
    const mine = ++attempt; // a later connect (the page came back meanwhile) supersedes this one
    life.connecting();
    let current: string;
    try {
      current = await ticket();
    } catch (err) {
      if (life.closed || mine !== attempt) return;
      // Signed out, no such rotation or not even a rotation id: retrying cannot help, say so instead.
      if (err instanceof ApiError && [400, 401, 403, 404].includes(err.status)) return life.stop(err.message);
      return life.retryLater();
    }
    if (life.closed || mine !== attempt) return;
    const es = new EventSource(apiUrl(`/rotations/${encodeURIComponent(rotationId)}/live?ticket=${encodeURIComponent(current)}`));
    source = es;
    // The server pings a quiet stream (its first ping says how often): a stream silent past two pings died
    // without a word reaching this phone (the Wi-Fi or a router forgot it), and EventSource would wait for ever.
    let silentAfterMs: number | undefined;
    let silence: ReturnType<typeof setTimeout> | undefined;
    const heard = () => {
      clearTimeout(silence);
      if (silentAfterMs === undefined) return;
      silence = setTimeout(() => {
        if (source !== es) return; // replaced already
        es.close();
        source = null;
        life.retryLater();
      }, silentAfterMs);
    };
    es.addEventListener('open', () => life.connected());
    es.addEventListener('ping', (event) => {
      const everyMs = (JSON.parse((event as MessageEvent<string>).data) as { everyMs?: unknown }).everyMs;
      if (typeof everyMs === 'number' && everyMs > 0) silentAfterMs = 2 * everyMs + SILENCE_GRACE_MS;
      heard();
    });
    es.addEventListener('queue', (event) => {
      heard();
      onView(JSON.parse((event as MessageEvent<string>).data) as QueueView);
    });
    es.addEventListener('error', () => {
      clearTimeout(silence); // EventSource reconnects by itself now, or it is closed below
      if (source !== es) return es.close(); // replaced already
      if (es.readyState !== EventSource.CLOSED) return onStatus('reconnecting');
      es.close();
      source = null;
      life.retryLater();
    });
  }

  void connect();
  return { close: life.close };
};
