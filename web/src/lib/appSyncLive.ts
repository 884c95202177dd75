import { isLiveViewTooLarge, liveChannelOf, type LiveViewTooLarge } from '../../../src/projections/liveChannels';
import type { QueueView } from './contract';
import { randomId } from './ids';
import type { LiveStatus } from './live';
import { createReconnector } from './reconnect';

/**
 * The rotation's queue view in AWS: an AppSync Events subscription to `/rotations/<rotationId>` over its WebSocket
 * protocol (subprotocol `aws-appsync-event-ws`, authorization in a `header-…` subprotocol and on each
 * subscribe). The projector publishes a whole view after every change, so a view replaces the last one and a
 * reconnect loses nothing but the views sent while away: `onMissed` lets the page re-read the queue.
 */
export type AppSyncAuthorization = { readonly Authorization: string } | { readonly 'x-api-key': string };

export interface AppSyncLiveOptions {
  readonly rotationId: string;
  /** `wss://<realtime domain>/event/realtime` (GET /config `liveUrl`). */
  readonly url: string;
  /** The Event API's HTTP domain (GET /config `liveHost`). */
  readonly host: string;
  /** A Cognito ID token, fresh each (re)connect, or the venue screen's subscribe-only key. */
  readonly authorization: () => Promise<AppSyncAuthorization>;
  readonly onView: (view: QueueView) => void;
  readonly onStatus: (status: LiveStatus, detail?: string) => void;
  /**
   * A view was missed, so the page should read the queue: each time the subscription is (re)established (views
   * published in between), and when a change's view was too large to be pushed whole (then with the marker).
   */
  readonly onMissed?: (tooLarge?: LiveViewTooLarge<QueueView>) => void;
}

const PROTOCOL = 'aws-appsync-event-ws';
/** When the server's keep-alive is overdue by this much past its own timeout, the connection is dead. */
const KEEP_ALIVE_GRACE_MS = 5_000;

/** base64url of the UTF-8 JSON, as the header subprotocol wants it (no padding). */
const headerProtocol = (header: object): string => {
  const bytes = new TextEncoder().encode(JSON.stringify(header));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `header-${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
};

interface Message {
  readonly type: string;
  readonly id?: string;
  readonly event?: string;
  readonly connectionTimeoutMs?: number;
  readonly errors?: readonly { readonly errorType?: string; readonly message?: string }[];
}

const UNAUTHORIZED = /Unauthorized|Forbidden/i;

export const watchRotationOnAppSync = ({ rotationId, url, host, authorization, onView, onStatus, onMissed }: AppSyncLiveOptions): { close(): void } => {
  const channel = liveChannelOf(rotationId);
  if (!channel) {
    onStatus('stopped', 'this rotation cannot be followed live');
    return { close() {} };
  }
  let socket: WebSocket | null = null;
  let keepAliveTimer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  const life = createReconnector(() => void connect(), onStatus, () => {
    clearTimeout(keepAliveTimer);
    const dropped = socket;
    socket = null; // its close event is then no failure to retry
    dropped?.close();
  });

  async function connect() {
    if (life.closed) return;
    const mine = ++attempt; // a later connect (the page came back meanwhile) supersedes this one
    life.connecting();
    let auth: AppSyncAuthorization;
    try {
      auth = await authorization();
    } catch (err) {
      if (mine !== attempt) return;
      return life.stop(err instanceof Error ? err.message : String(err));
    }
    if (life.closed || mine !== attempt) return;
    const signed = { host, ...auth };
    const ws = new WebSocket(url, [PROTOCOL, headerProtocol(signed)]);
    socket = ws;
    const subscriptionId = randomId(16);
    let timeoutMs = 300_000;
    const expectKeepAlive = () => {
      clearTimeout(keepAliveTimer);
      keepAliveTimer = setTimeout(() => ws.close(), timeoutMs + KEEP_ALIVE_GRACE_MS);
    };

    ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
    ws.addEventListener('message', (event) => {
      let message: Message;
      try {
        message = JSON.parse(String(event.data)) as Message;
      } catch {
        return;
      }
      switch (message.type) {
        case 'connection_ack':
          timeoutMs = message.connectionTimeoutMs ?? timeoutMs;
          expectKeepAlive();
          ws.send(JSON.stringify({ type: 'subscribe', id: subscriptionId, channel, authorization: signed }));
          return;
        case 'ka':
          return expectKeepAlive();
        case 'subscribe_success':
          life.connected();
          onMissed?.();
          return;
        case 'data':
          if (message.id === subscriptionId && typeof message.event === 'string') {
            const event = JSON.parse(message.event) as QueueView | LiveViewTooLarge<QueueView>;
            // A view too large for one event is announced, not sent: read it as after a reconnect.
            if (isLiveViewTooLarge(event)) onMissed?.(event);
            else onView(event);
          }
          return;
        case 'subscribe_error':
        case 'connection_error':
        case 'error': {
          const text = (message.errors ?? []).map((e) => `${e.errorType ?? ''} ${e.message ?? ''}`.trim()).join('; ') || message.type;
          // Refused (an expired sign-in, a wrong key): retrying the same credentials cannot help.
          if (UNAUTHORIZED.test(text)) return life.stop(text);
          ws.close();
          return;
        }
      }
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return; // released or replaced: not a failure
      clearTimeout(keepAliveTimer);
      socket = null;
      life.retryLater();
    });
  }

  void connect();
  return { close: life.close };
};
