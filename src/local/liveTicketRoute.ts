import type { ApiDeps } from '../api/deps';
import { LiveTicket } from '../api/contract/schemas';
import { notFound } from '../api/http/errors';
import { defineRoute, type Route } from '../api/http/route';
import type { LiveTickets } from './liveTickets';

/**
 * `POST /rotations/{rotationId}/live-tickets`: anyone who may read the queue trades their bearer token for a
 * ticket that opens the rotation's live feed (`GET …/live?ticket=…`). It runs through the API's own pipeline,
 * so sign-in, the error shape and Idempotency-Key work as on every other route.
 */
export const liveTicketRoute = (tickets: LiveTickets): Route<ApiDeps> =>
  defineRoute<ApiDeps>()(
    {
      method: 'POST',
      path: '/rotations/:rotationId/live-tickets',
      summary: 'A ticket that opens the rotation’s live feed',
      roles: ['kj', 'singer'],
      success: { status: 201, schema: LiveTicket },
      localOnly: true,
    },
    async ({ params, now }, { queue }) => {
      const rotationId = params.rotationId!;
      if (!(await queue.read(rotationId, now))) throw notFound(`There is no rotation ${rotationId}.`);
      const { ticket, expiresAt } = tickets.issue(rotationId);
      return { ticket, expiresAt, url: `/rotations/${rotationId}/live?ticket=${encodeURIComponent(ticket)}` };
    },
  );
