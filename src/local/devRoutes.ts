import type { Hono } from 'hono';
import { parseInput } from '../api/contract/issues';
import { DevToken, DevTokenBody, Outbox as OutboxAnswer } from '../api/contract/schemas';
import { clientAddress, isLoopback } from '../api/http/clientAddress';
import { ApiError, errorBody } from '../api/http/errors';
import { readJsonBody } from '../api/http/request';
import type { Endpoint } from '../api/http/route';
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
    errors: [{ status: 403, code: 'forbidden' }],
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
 * Routes that exist only on one machine: any token, and the alert outbox (API.md "Running locally"). They are
 * for scripts and tests on the KJ's laptop, so only a client on the loopback address gets past here: a phone on
 * the venue's Wi-Fi gets 403 (API.md "Signing in on one machine").
 */
export const addDevRoutes = (app: Hono, { tokens, outbox }: { tokens: DevTokens; outbox: Outbox }): void => {
  app.use('/dev/*', async (c, next) => {
    if (!isLoopback(clientAddress(c))) {
      return c.json(errorBody('forbidden', 'The /dev routes answer only on the machine the engine runs on. Sign in with POST /auth/guest or /auth/kj.'), 403);
    }
    await next();
  });
  app.post('/dev/token', async (c) => {
    try {
      const body = parseInput(DevTokenBody, (await readJsonBody(c)).value, 'The request body');
      return c.json({ token: tokens.issue(body) });
    } catch (err) {
      if (err instanceof ApiError) return c.json(errorBody(err.code, err.message), err.status as 400);
      throw err;
    }
  });
  app.get('/dev/outbox', async (c) => c.json(await outbox.listOutbox()));
};
