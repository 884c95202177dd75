import type { Context, Hono } from 'hono';
import { parseInput } from '../api/contract/issues';
import { DevToken, DevTokenBody, Outbox as OutboxAnswer } from '../api/contract/schemas';
import { clientAddress, isLoopback } from '../api/http/clientAddress';
import { ApiError, errorBody } from '../api/http/errors';
import { readDeclaredJsonBody } from '../api/http/request';
import type { Endpoint } from '../api/http/route';
import { passphraseUnavailable } from './authRoutes';
import type { DevTokens } from './devTokens';

export interface Outbox {
  listOutbox(): Promise<{ alerts: unknown[] }>;
}

/** For the OpenAPI document of `npm start`. */
export const DEV_ENDPOINTS: readonly Endpoint[] = [
  {
    method: 'POST',
    path: '/dev/token',
    summary: 'Local sign-in for scripts and tests: a token for any `sub`, name and role (loopback clients only)',
    body: DevTokenBody,
    success: { status: 200, schema: DevToken },
    errors: [{ status: 403, code: 'forbidden' }, { status: 415, code: 'unsupported-media-type' }],
    localOnly: true,
  },
  {
    method: 'GET',
    path: '/dev/outbox',
    summary: 'The alerts the outbox notifier has sent (loopback clients only)',
    success: { status: 200, schema: OutboxAnswer },
    errors: [{ status: 403, code: 'forbidden' }],
    localOnly: true,
  },
];

/**
 * Headers a proxy or tunnel adds. Behind one on this machine (ssh -R, cloudflared, nginx…) every client connects
 * from loopback, so a request carrying any of them may come from anywhere.
 */
const FORWARDING_HEADERS = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-forwarded-server',
  'x-real-ip',
  'x-client-ip',
  'x-cluster-client-ip',
  'cf-connecting-ip',
  'true-client-ip',
  'fastly-client-ip',
  'via',
];

/** `localhost`, 127.x.x.x or [::1], with any port: a page that rebinds its own name to 127.0.0.1 still sends its name. */
export const isLoopbackHost = (host: string | undefined): boolean => {
  if (host === undefined) return false;
  const name = (host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d*$/, '')).toLowerCase();
  return name === 'localhost' || isLoopback(name);
};

/** Why a request may not use the /dev routes, or null when it may. */
const devRefusal = (c: Context): string | null => {
  if (!isLoopback(clientAddress(c))) {
    return 'The /dev routes answer only on the machine the engine runs on. Sign in with POST /auth/guest or /auth/kj.';
  }
  const forwarded = FORWARDING_HEADERS.find((name) => c.req.header(name) !== undefined);
  if (forwarded !== undefined) {
    return `The /dev routes refuse requests that came through a proxy or tunnel (this one carries ${forwarded}): behind one, every client looks like this machine. Call them on this machine directly.`;
  }
  if (!isLoopbackHost(c.req.header('host'))) {
    return 'The /dev routes answer only requests addressed to localhost or 127.0.0.1 (the Host header), so a web page cannot reach them by renaming itself.';
  }
  return null;
};

/**
 * Routes that exist only on one machine: any token, and the alert outbox (API.md "Running locally"). They are
 * for scripts and tests on the KJ's laptop, so only a client on the loopback address gets past here: a phone on
 * the venue's Wi-Fi gets 403 (API.md "Signing in on one machine"), and so does a request through a local proxy
 * or one addressed to another name (DNS rebinding).
 */
export const addDevRoutes = (app: Hono, { tokens, outbox }: { tokens: DevTokens; outbox: Outbox }): void => {
  app.use('/dev/*', async (c, next) => {
    const refusal = devRefusal(c);
    if (refusal !== null) return c.json(errorBody('forbidden', refusal), 403);
    await next();
  });
  app.post('/dev/token', async (c) => {
    try {
      const body = parseInput(DevTokenBody, (await readDeclaredJsonBody(c)).value, 'The request body');
      return c.json({ token: tokens.issue(body) });
    } catch (err) {
      const known = err instanceof ApiError ? err : passphraseUnavailable(err); // a KJ token names the passphrase
      if (known) return c.json(errorBody(known.code, known.message), known.status as 400);
      throw err;
    }
  });
  app.get('/dev/outbox', async (c) => c.json(await outbox.listOutbox()));
};
