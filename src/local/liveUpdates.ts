import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError, errorBody } from '../api/http/errors';
import { id } from '../api/contract/fields';
import { parseInput } from '../api/contract/issues';
import { LiveQuery, QueueView } from '../api/contract/schemas';
import { readQuery } from '../api/http/request';
import type { Endpoint } from '../api/http/route';
import type { QueueViewReader } from '../projections/readModels';
import { createLiveChannel, type LiveChannel } from './liveChannel';
import { createLiveAdmission, DEFAULT_LIVE_LIMITS, type LiveLimits } from './liveLimits';
import type { LiveTickets } from './liveTickets';
import type { RotationChanges } from './rotationChanges';
import { openSseConnection, type SseConnection } from './sseConnection';

/**
 * `GET /rotations/{rotationId}/live?ticket=…`: the rotation's queue view pushed as Server-Sent Events — the
 * current view on connect, then a fresh one after every commit to the rotation. One machine only: API Gateway's
 * HTTP API cannot hold a response open, so in AWS this would be API Gateway WebSockets fed by the same stream,
 * or clients polling `GET …/queue`.
 */
export interface LiveUpdatesOptions {
  readonly changes: RotationChanges;
  readonly queue: QueueViewReader;
  readonly tickets: LiveTickets;
  readonly now: () => string;
  readonly heartbeatMs?: number;
  readonly retryMs?: number;
  /** Streams per ticket, per client address and in all; past one of them, 429 with Retry-After. */
  readonly limits?: Partial<LiveLimits>;
  /** A view the socket has not taken for this long ends the stream (the browser stopped reading). */
  readonly stalledMs?: number;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

export interface LiveUpdates {
  openConnections(): number;
  /** Ends every open stream, so the HTTP server can close (browsers reconnect to the next server). */
  close(): void;
}

export const LIVE_PATH = '/rotations/:rotationId/live';

/** For the OpenAPI document: the feed opens with a live ticket, not a bearer token (EventSource sends no headers). */
export const LIVE_ENDPOINT: Endpoint = {
  method: 'GET',
  path: LIVE_PATH,
  summary: 'The queue view, live: Server-Sent Events, one `view` event now and after every change',
  description: 'Open it with the `url` of `POST …/live-tickets`.',
  query: LiveQuery,
  success: { status: 200, contentType: 'text/event-stream', schema: QueueView },
  errors: [
    { status: 401, code: 'unauthorized' },
    { status: 403, code: 'forbidden' },
    { status: 404, code: 'not-found' },
    { status: 503, code: 'unavailable' },
  ],
  localOnly: true,
};
const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-store, no-transform',
  'X-Accel-Buffering': 'no', // a buffering reverse proxy would hold frames back
  'X-Content-Type-Options': 'nosniff',
  // The socket is the stream's alone: when the stream ends (shutdown) it closes too, instead of idling in
  // keep-alive where the browser's reconnect would land on a server that is shutting down.
  Connection: 'close',
};

export const addLiveUpdates = (
  app: Hono,
  { changes, queue, tickets, now, heartbeatMs = 15_000, retryMs = 2_000, limits = {}, stalledMs, log = () => {} }: LiveUpdatesOptions,
): LiveUpdates => {
  const channels = new Map<string, LiveChannel>();
  const admission = createLiveAdmission({ ...DEFAULT_LIVE_LIMITS, ...limits });
  const retryAfterSeconds = String(Math.max(1, Math.ceil(retryMs / 1000)));
  let closed = false;
  const openConnections = () => [...channels.values()].reduce((n, channel) => n + channel.connections.size, 0);

  const channelFor = (rotationId: string): LiveChannel => {
    const existing = channels.get(rotationId);
    if (existing) return existing;
    const channel = createLiveChannel({
      rotationId,
      changes,
      queue,
      now,
      onEmpty: () => channels.delete(rotationId),
      onError: (error) => log('live update failed', { rotationId, error: (error as Error).message }),
    });
    channels.set(rotationId, channel);
    return channel;
  };

  const authorize = (c: Context): { rotationId: string; ticket: string } => {
    if (closed) throw new ApiError(503, 'unavailable', 'The server is shutting down; your screen reconnects by itself.');
    const rotationId = parseInput(id(), c.req.param('rotationId'), '`rotationId`');
    const { ticket } = parseInput(LiveQuery, readQuery(c), 'The query');
    if (!ticket) {
      throw new ApiError(401, 'unauthorized', `Open the live feed with a ticket: POST /rotations/${rotationId}/live-tickets, then use its url.`);
    }
    const verdict = tickets.verify(ticket, rotationId);
    if (verdict === 'invalid') throw new ApiError(401, 'unauthorized', 'This live ticket is not valid or has expired; get a new one.');
    if (verdict === 'other-rotation') throw new ApiError(403, 'forbidden', 'This live ticket is for another rotation.');
    return { rotationId, ticket };
  };

  app.get(LIVE_PATH, async (c) => {
    let rotationId: string;
    let ticket: string;
    try {
      ({ rotationId, ticket } = authorize(c));
    } catch (err) {
      if (err instanceof ApiError) {
        return c.json(errorBody(err.code, err.message), err.status as ContentfulStatusCode, closed ? { Connection: 'close' } : {});
      }
      throw err;
    }
    const address = addressOf(c);
    const admitted = admission.admit({ ticket, address });
    if (!admitted.admitted) {
      log('live stream refused', { rotationId, limit: admitted.limit, address });
      return c.json(errorBody('too-many-requests', admitted.message), 429, { 'Retry-After': retryAfterSeconds });
    }
    // Watch first, then read: a commit landing in between is pushed after the first view, never lost.
    const channel = channelFor(rotationId);
    const connection: SseConnection = openSseConnection({
      retryMs,
      heartbeatMs,
      ...(stalledMs === undefined ? {} : { stalledMs }),
      onGone: () => {
        admitted.release();
        channel.remove(connection);
        log('live stream closed', { rotationId, open: openConnections() });
      },
    });
    channel.add(connection);
    c.req.raw.signal.addEventListener('abort', () => connection.end(), { once: true });
    try {
      const view = await queue.read(rotationId, now());
      if (!view) {
        connection.end();
        return c.json(errorBody('not-found', `There is no rotation ${rotationId}.`), 404);
      }
      connection.sendView(view);
    } catch (err) {
      connection.end();
      throw err;
    }
    log('live stream opened', { rotationId, open: openConnections() });
    return new Response(connection.stream, { status: 200, headers: SSE_HEADERS });
  });

  return {
    openConnections,
    close() {
      closed = true;
      for (const channel of [...channels.values()]) for (const connection of [...channel.connections]) connection.end();
    },
  };
};

/** The client's address as @hono/node-server passes it (`env.incoming`); one bucket for callers without one. */
const addressOf = (c: Context): string =>
  (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown';
