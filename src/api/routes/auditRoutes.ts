import { fold } from '../../aggregates/decider';
import { queueView, rotationDecider, type RotationEvent } from '../../aggregates/rotation';
import type { StoredEvent } from '../../eventstore/commit';
import type { ApiDeps } from '../deps';
import { invalidRequest, notFound } from '../http/errors';
import { parseRfc3339 } from '../http/rfc3339';
import { ok, type Route } from '../http/route';
import { ownerOnly } from './rotationRoutes';

type R = Route<ApiDeps>;
const toDomainEvent = ({ type, data }: StoredEvent<RotationEvent>) => ({ type, data }) as RotationEvent;

/** The night's log, for the KJ who ran it: every event with its sequence number, actor and time. */
const events: R = {
  method: 'GET',
  path: '/rotations/:rotationId/events',
  roles: ['kj'],
  async handle({ params, principal }, { service }) {
    const log = await service.read(params.rotationId!);
    if (!log) throw notFound(`There is no rotation ${params.rotationId}.`);
    ownerOnly(log.state.kjId, principal.sub);
    return ok({
      events: log.commits.flatMap((commit) =>
        commit.events.map((e) => ({ seq: e.seq, type: e.type, data: e.data, actor: commit.actor, at: commit.at })),
      ),
    });
  },
};

const parseSeq = (value: string) => {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw invalidRequest('`seq` must be a whole number, 1 or more.');
  return Number(value);
};

const parseTime = (value: string) => {
  const time = parseRfc3339(value);
  if (time === null) throw invalidRequest('`at` must be a real RFC 3339 time with a zone, like 2026-11-21T22:30:00Z.');
  return time;
};

/** The queue as it stood after event `seq`, or at time `at`: replayed from the log. */
const stateAsOf: R = {
  method: 'GET',
  path: '/rotations/:rotationId/state',
  roles: ['kj'],
  query: ['seq', 'at'],
  async handle({ params, principal, query }, { service }) {
    if ((query.seq === undefined) === (query.at === undefined)) {
      throw invalidRequest('Give exactly one of `seq` (an event number) or `at` (an ISO-8601 time).');
    }
    const full = await service.read(params.rotationId!);
    if (!full) throw notFound(`There is no rotation ${params.rotationId}.`);
    ownerOnly(full.state.kjId, principal.sub);
    if (query.seq !== undefined) {
      const seq = parseSeq(query.seq);
      // Replay event by event: seq may fall inside a commit that recorded several events.
      const upTo = full.commits.filter((c) => c.events[0]!.seq <= seq);
      const state = fold(rotationDecider, upTo.flatMap((c) => c.events.filter((e) => e.seq <= seq).map(toDomainEvent)));
      const last = upTo[upTo.length - 1]!;
      return ok({ ...queueView(state, { version: last.version, now: last.at }), headHash: last.hash });
    }
    const at = parseTime(query.at!);
    const log = await service.read(params.rotationId!, { toTime: at });
    if (!log) throw notFound(`Rotation ${params.rotationId} had not been opened by ${at}.`);
    return ok({ ...queueView(log.state, { version: log.version, now: at }), headHash: log.commits.at(-1)!.hash });
  },
};

export const auditRoutes: readonly R[] = [events, stateAsOf];
