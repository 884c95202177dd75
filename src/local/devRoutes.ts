import type { Hono } from 'hono';
import { parseInput } from '../api/contract/issues';
import { DevToken, DevTokenBody, Outbox as OutboxAnswer } from '../api/contract/schemas';
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
    summary: 'Local sign-in: a token for any `sub`, name and role',
    body: DevTokenBody,
    success: { status: 200, schema: DevToken },
    localOnly: true,
  },
  {
    method: 'GET',
    path: '/dev/outbox',
    summary: 'The alerts the outbox notifier has sent',
    success: { status: 200, schema: OutboxAnswer },
    localOnly: true,
  },
];

/** Routes that exist only on one machine: local sign-in and the alert outbox (API.md "Running locally"). */
export const addDevRoutes = (app: Hono, { tokens, outbox }: { tokens: DevTokens; outbox: Outbox }): void => {
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
