import type { Hono } from 'hono';
import { errorBody } from '../api/http/errors';
import { readJsonBody } from '../api/http/request';
import * as v from '../api/http/validate';
import { ApiError } from '../api/http/errors';
import type { DevTokens } from './devTokens';

export interface Outbox {
  listOutbox(): Promise<{ alerts: unknown[] }>;
}

/** Routes that exist only on one machine: local sign-in and the alert outbox (API.md "Running locally"). */
export const addDevRoutes = (app: Hono, { tokens, outbox }: { tokens: DevTokens; outbox: Outbox }): void => {
  app.post('/dev/token', async (c) => {
    try {
      const body = v.object({ sub: v.id, name: v.displayName, role: v.oneOf(['kj', 'singer'] as const) })((await readJsonBody(c)).value, '');
      return c.json({ token: tokens.issue(body) });
    } catch (err) {
      if (err instanceof ApiError) return c.json(errorBody(err.code, err.message), err.status as 400);
      throw err;
    }
  });
  app.get('/dev/outbox', async (c) => c.json(await outbox.listOutbox()));
};
