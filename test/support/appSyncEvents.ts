/**
 * A loopback stand-in for an AppSync Events API, speaking its protocols:
 * - HTTP publish (`POST /event`): each request's SigV4 signature is checked the way the service does
 *   (recomputed over the method, path, signed headers and body as received, with the credentials it knows), so
 *   only the projector's "role" may publish; it answers as the service answers and records what was published.
 * - Real-time (`/event/realtime`, WebSocket, subprotocol `aws-appsync-event-ws` with the authorization in a
 *   `header-<base64url JSON>` subprotocol): connection_init → connection_ack, subscribe (authorized again, one
 *   channel of the namespace, no wildcard: the namespace's onSubscribe rule) → subscribe_success, then `data`
 *   messages carrying each published event. Subscribers authorize with a token the given check accepts
 *   (Cognito's, in AWS) or with the API key; an API key can subscribe but, like everything not signed, not publish.
 */
import { createHash, createHmac } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { LIVE_EVENT_MAX_BYTES } from '../../src/projections/liveChannels';

export interface ReceivedPublish {
  readonly channel: string;
  readonly events: unknown[];
  readonly authorization: string;
}

export interface Subscription {
  readonly channel: string;
  /** How the subscriber authorized: a token or the API key. */
  readonly auth: 'token' | 'api-key';
}

export interface RealtimeOptions {
  readonly apiKey: string;
  readonly verifyToken: (token: string) => boolean;
}

export interface AppSyncEventsStandIn {
  /** HTTP publish URL, `http://127.0.0.1:<port>/event`. */
  readonly url: string;
  /** `ws://127.0.0.1:<port>/event/realtime`. */
  readonly realtimeUrl: string;
  /** What subscribers name as `host` in their authorization (the Event API's HTTP domain). */
  readonly host: string;
  readonly published: ReceivedPublish[];
  readonly subscriptions: Subscription[];
  /** The answer to the next publishes: 'ok', an HTTP status, or events the service reports as failed. */
  answer: 'ok' | { status: number } | 'event-failed';
  /** Events refused for passing the service's size quota (LIVE_EVENT_MAX_BYTES). */
  refusedTooLarge: number;
  close(): Promise<void>;
}

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** The SigV4 signature AWS would expect for this request (header-signed, no query string). */
const expectedSignature = (req: http.IncomingMessage, body: string, secretAccessKey: string, region: string): string | undefined => {
  const auth = req.headers.authorization ?? '';
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
  if (!match) return undefined;
  const [, , date, signedRegion, service, signedHeaders] = match;
  if (signedRegion !== region || service !== 'appsync') return undefined;
  const amzDate = String(req.headers['x-amz-date']);
  const canonicalHeaders = signedHeaders!.split(';').map((h) => `${h}:${String(req.headers[h]).trim()}\n`).join('');
  const canonicalRequest = [req.method, req.url, '', canonicalHeaders, signedHeaders, sha256(body)].join('\n');
  const scope = `${date}/${region}/appsync/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date!), region), 'appsync'), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
};

const CHANNEL = /^\/rotations\/[A-Za-z0-9-]{1,50}$/;

export const startAppSyncEvents = async ({
  accessKeyId,
  secretAccessKey,
  region,
  realtime,
}: {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  realtime?: RealtimeOptions;
}): Promise<AppSyncEventsStandIn> => {
  const published: ReceivedPublish[] = [];
  const subscriptions: Subscription[] = [];
  const live = new Set<{ ws: WebSocket; id: string; channel: string }>();
  const standIn = { answer: 'ok', refusedTooLarge: 0 } as AppSyncEventsStandIn;
  const reply = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/event') return reply(res, 404, { errors: [{ errorType: 'NotFound' }] });
      const authorization = req.headers.authorization ?? '';
      const signature = /Signature=([0-9a-f]{64})$/.exec(authorization)?.[1];
      if (!authorization.includes(`Credential=${accessKeyId}/`) || !signature || expectedSignature(req, body, secretAccessKey, region) !== signature) {
        return reply(res, 401, { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] });
      }
      if (typeof standIn.answer === 'object') return reply(res, standIn.answer.status, { errors: [{ errorType: 'ServiceError' }] });
      const { channel, events } = JSON.parse(body) as { channel: string; events: string[] };
      if (standIn.answer === 'event-failed') {
        return reply(res, 200, { failed: events.map((_, index) => ({ identifier: `e${index}`, index, code: 400, msg: 'Event too large' })), successful: [] });
      }
      // The service's quota: an event over 240 KB is refused on its own, the others in the request go out.
      const fits = (event: string) => Buffer.byteLength(event) <= LIVE_EVENT_MAX_BYTES;
      const sent = events.filter(fits);
      standIn.refusedTooLarge += events.length - sent.length;
      if (sent.length > 0) published.push({ channel, events: sent.map((e) => JSON.parse(e)), authorization });
      for (const subscriber of live) {
        if (subscriber.channel !== channel) continue;
        for (const event of sent) subscriber.ws.send(JSON.stringify({ type: 'data', id: subscriber.id, event }));
      }
      const outcomes = events.map((event, index) => ({ event, identifier: `e${index}`, index }));
      reply(res, 200, {
        failed: outcomes.filter((o) => !fits(o.event)).map(({ identifier, index }) => ({ identifier, index, code: 400, msg: 'Event too large' })),
        successful: outcomes.filter((o) => fits(o.event)).map(({ identifier, index }) => ({ identifier, index })),
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  const wss = realtime ? acceptSubscribers(server, host, realtime, live, subscriptions) : undefined;
  return Object.assign(standIn, {
    url: `http://${host}/event`,
    realtimeUrl: `ws://${host}/event/realtime`,
    host,
    published,
    subscriptions,
    close: async () => {
      for (const client of wss?.clients ?? []) client.terminate();
      await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
};

type Authorization = { host?: string; Authorization?: string; 'x-api-key'?: string };

const PROTOCOL = 'aws-appsync-event-ws';

/** The real-time endpoint: the WebSocket protocol of AppSync Events, as much of it as the pages use. */
const acceptSubscribers = (
  server: http.Server,
  host: string,
  { apiKey, verifyToken }: RealtimeOptions,
  live: Set<{ ws: WebSocket; id: string; channel: string }>,
  subscriptions: Subscription[],
) => {
  const authorized = (auth: Authorization | undefined): 'token' | 'api-key' | null => {
    if (!auth || auth.host !== host) return null;
    if (typeof auth.Authorization === 'string') return verifyToken(auth.Authorization) ? 'token' : null;
    return auth['x-api-key'] === apiKey ? 'api-key' : null;
  };
  const wss = new WebSocketServer({
    server,
    path: '/event/realtime',
    handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false),
  });
  wss.on('connection', (ws, request) => {
    const send = (message: object) => ws.send(JSON.stringify(message));
    const header = String(request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .find((p) => p.startsWith('header-'));
    let connectionAuth: Authorization | undefined;
    try {
      connectionAuth = header ? (JSON.parse(Buffer.from(header.slice('header-'.length), 'base64url').toString('utf8')) as Authorization) : undefined;
    } catch {
      connectionAuth = undefined;
    }
    if (!authorized(connectionAuth)) {
      send({ type: 'connection_error', errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] });
      ws.close(4401);
      return;
    }
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; id?: string; channel?: string; authorization?: Authorization };
      if (message.type === 'connection_init') return send({ type: 'connection_ack', connectionTimeoutMs: 300_000 });
      if (message.type === 'subscribe') {
        const auth = authorized(message.authorization);
        if (!auth || !message.id || !message.channel || !CHANNEL.test(message.channel)) {
          return send({ type: 'subscribe_error', id: message.id, errors: [{ errorType: 'UnauthorizedException', message: 'Unauthorized' }] });
        }
        live.add({ ws, id: message.id, channel: message.channel });
        subscriptions.push({ channel: message.channel, auth });
        return send({ type: 'subscribe_success', id: message.id });
      }
      if (message.type === 'unsubscribe') {
        for (const s of live) if (s.ws === ws && s.id === message.id) live.delete(s);
        return send({ type: 'unsubscribe_success', id: message.id });
      }
    });
    ws.on('close', () => {
      for (const s of live) if (s.ws === ws) live.delete(s);
    });
  });
  return wss;
};
