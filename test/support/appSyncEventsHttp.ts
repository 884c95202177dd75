/**
 * A loopback stand-in for an AppSync Events API's HTTP publish endpoint (`POST /event`). It checks each request's
 * SigV4 signature the way the service does (recomputed over the method, path, signed headers and body as
 * received, with the credentials it knows), answers as the service answers, and records what was published.
 */
import { createHash, createHmac } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPublish {
  readonly channel: string;
  readonly events: unknown[];
  readonly authorization: string;
}

export interface AppSyncEventsHttpStandIn {
  readonly url: string;
  readonly published: ReceivedPublish[];
  /** The answer to the next publishes: 'ok', an HTTP status, or events the service reports as failed. */
  answer: 'ok' | { status: number } | 'event-failed';
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

export const startAppSyncEventsHttp = async ({ accessKeyId, secretAccessKey, region }: { accessKeyId: string; secretAccessKey: string; region: string }): Promise<AppSyncEventsHttpStandIn> => {
  const published: ReceivedPublish[] = [];
  const standIn = { answer: 'ok' } as AppSyncEventsHttpStandIn;
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
      published.push({ channel, events: events.map((e) => JSON.parse(e)), authorization });
      reply(res, 200, { failed: [], successful: events.map((_, index) => ({ identifier: `e${index}`, index })) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(standIn, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/event`,
    published,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
};
