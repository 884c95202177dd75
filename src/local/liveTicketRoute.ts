import type { ApiDeps } from '../api/deps';
import { notFound } from '../api/http/errors';
import { ok, type Route } from '../api/http/route';
import * as v from '../api/http/validate';
import type { LiveTickets } from './liveTickets';

/**
 * `POST /rotations/{rotationId}/live-tickets`: anyone who may read the queue trades their bearer token for a
 * ticket that opens the rotation's live feed (`GET …/live?ticket=…`). It runs through the API's own pipeline,
 * so sign-in, the error shape and Idempotency-Key work as on every other route.
 */
export const liveTicketRoute = (tickets: LiveTickets): Route<ApiDeps> => ({
  method: 'POST',
  path: '/rotations/:rotationId/live-tickets',
  roles: ['kj', 'singer'],
  async handle({ params, body, now }, { queue }) {
    v.NO_BODY(body ?? {}, '');
    const rotationId = params.rotationId!;
    if (!(await queue.read(rotationId, now))) throw notFound(`There is no rotation ${rotationId}.`);
    const { ticket, expiresAt } = tickets.issue(rotationId);
    return ok({ ticket, expiresAt, url: `/rotations/${rotationId}/live?ticket=${encodeURIComponent(ticket)}` }, 201);
  },
});
