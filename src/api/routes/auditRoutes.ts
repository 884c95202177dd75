import { queueView } from '../../aggregates/rotation';
import type { ApiDeps } from '../deps';
import { AuditLog, QueueView, StateQuery } from '../contract/schemas';
import { notFound } from '../http/errors';
import { parseRfc3339 } from '../http/rfc3339';
import { defineRoute, type Route } from '../http/route';
import { ownerOnly } from './rotationRoutes';

const route = defineRoute<ApiDeps>();

/** The night's log, for the KJ who ran it: every event with its sequence number, actor and time. */
const events = route(
  {
    method: 'GET',
    path: '/rotations/:rotationId/events',
    summary: 'The night’s log: every event with its sequence number, actor and time',
    roles: ['kj'],
    success: { status: 200, schema: AuditLog },
  },
  async ({ params, principal }, { service }) => {
    const log = await service.read(params.rotationId!);
    if (!log) throw notFound(`There is no rotation ${params.rotationId}.`);
    ownerOnly(log.state.kjId, principal.sub);
    return {
      events: log.commits.flatMap((commit) =>
        commit.events.map((e) => ({ seq: e.seq, type: e.type, data: e.data as Record<string, unknown>, actor: commit.actor, at: commit.at })),
      ),
    };
  },
);

/** The queue as it stood after event `seq`, or at time `at`: replayed from the log. */
const stateAsOf = route(
  {
    method: 'GET',
    path: '/rotations/:rotationId/state',
    summary: 'The queue view as it stood after event `seq`, or at time `at`',
    roles: ['kj'],
    query: StateQuery,
    success: { status: 200, schema: QueueView },
  },
  async ({ params, principal, query }, { service }) => {
    const full = await service.read(params.rotationId!);
    if (!full) throw notFound(`There is no rotation ${params.rotationId}.`);
    ownerOnly(full.state.kjId, principal.sub);
    if (query.seq !== undefined) {
      const log = (await service.read(params.rotationId!, { toSeq: Number(query.seq) }))!;
      const last = log.commits.at(-1)!;
      return { ...queueView(log.state, { version: last.version, now: last.at }), headHash: last.hash };
    }
    const at = parseRfc3339(query.at!)!; // the schema admits only times this parses
    const log = await service.read(params.rotationId!, { toTime: at });
    if (!log) throw notFound(`Rotation ${params.rotationId} had not been opened by ${at}.`);
    return { ...queueView(log.state, { version: log.version, now: at }), headHash: log.commits.at(-1)!.hash };
  },
);

export const auditRoutes: readonly Route<ApiDeps>[] = [events, stateAsOf];
