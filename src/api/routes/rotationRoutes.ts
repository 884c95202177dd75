import { streamIdFor } from '../../eventstore/tables';
import type { ApiDeps } from '../deps';
import { forbidden, invalidRequest, notFound } from '../http/errors';
import { ok, type Route } from '../http/route';
import * as v from '../http/validate';
import { committed, runCommand } from './commands';

type R = Route<ApiDeps>;
const KJ = ['kj'] as const;
const ANYONE = ['kj', 'singer'] as const;
const rid = (params: Readonly<Record<string, string>>) => params.rotationId!;

const openRotation: R = {
  method: 'POST',
  path: '/rotations',
  roles: KJ,
  async handle(request, { service, newId }) {
    const body = v.object({ venue: v.text(200), settings: v.settings }, ['settings'])(request.body, '');
    const rotationId = newId();
    const outcome = await runCommand(service, request, rotationId, {
      type: 'OpenRotation',
      rotationId,
      venue: body.venue,
      ...(body.settings ? { settings: body.settings } : {}),
    });
    return ok({ rotationId, ...committed(outcome) }, 201);
  },
};

const readQueue: R = {
  method: 'GET',
  path: '/rotations/:rotationId/queue',
  roles: ANYONE,
  async handle({ params, now }, { queue }) {
    const view = await queue.read(rid(params), now);
    if (!view) throw notFound(`There is no rotation ${rid(params)}.`);
    return ok(view);
  },
};

const singerJoin = v.object({ displayName: v.displayName, song: v.song });
const kjJoin = v.object(
  { singerId: v.id, displayName: v.displayName, song: v.song, placement: v.joinPlacement },
  ['placement'],
);

const join: R = {
  method: 'POST',
  path: '/rotations/:rotationId/singers',
  roles: ANYONE,
  async handle(request, { service, newId }) {
    const { principal } = request;
    const body =
      principal.role === 'kj'
        ? kjJoin(request.body, '')
        : { ...singerJoin(request.body, ''), singerId: principal.sub, placement: undefined };
    const outcome = await runCommand(service, request, rid(request.params), {
      type: 'JoinRotation',
      singerId: body.singerId,
      displayName: body.displayName,
      songId: newId(),
      song: body.song,
      ...(body.placement ? { placement: body.placement } : {}),
    });
    return ok({ singerId: body.singerId, ...committed(outcome) }, 201);
  },
};

const queueSong: R = {
  method: 'POST',
  path: '/rotations/:rotationId/singers/:singerId/songs',
  roles: ANYONE,
  selfParam: 'singerId',
  async handle(request, { service, newId }) {
    const song = v.song(request.body, 'song');
    const songId = newId();
    const outcome = await runCommand(service, request, rid(request.params), {
      type: 'QueueSong',
      singerId: request.params.singerId!,
      songId,
      song,
    });
    return ok({ songId, ...committed(outcome) }, 201);
  },
};

const withdrawSong: R = {
  method: 'DELETE',
  path: '/rotations/:rotationId/singers/:singerId/songs/:songId',
  roles: ANYONE,
  selfParam: 'singerId',
  async handle(request, { service }) {
    v.NO_BODY(request.body ?? {}, '');
    const { singerId, songId } = request.params as { singerId: string; songId: string };
    const outcome = await runCommand(service, request, rid(request.params), { type: 'WithdrawSong', singerId, songId });
    return ok(committed(outcome));
  },
};

/** Routes that act on one singer with no body: skip, away, back. */
const singerAction = (action: 'skip' | 'away' | 'back', type: 'SkipTurn' | 'GoAway' | 'ComeBack'): R => ({
  method: 'POST',
  path: `/rotations/:rotationId/singers/:singerId/${action}`,
  roles: ANYONE,
  selfParam: 'singerId',
  async handle(request, { service }) {
    v.NO_BODY(request.body ?? {}, '');
    const outcome = await runCommand(service, request, rid(request.params), { type, singerId: request.params.singerId! });
    return ok(committed(outcome));
  },
});

const leave: R = {
  method: 'DELETE',
  path: '/rotations/:rotationId/singers/:singerId',
  roles: ANYONE,
  selfParam: 'singerId',
  async handle(request, { service }) {
    v.NO_BODY(request.body ?? {}, '');
    const singerId = request.params.singerId!;
    // The singer leaves; the KJ removes. Both take the slot away, recorded differently for the audit.
    const type = request.principal.role === 'singer' ? 'LeaveRotation' : 'RemoveSinger';
    const outcome = await runCommand(service, request, rid(request.params), { type, singerId });
    return ok(committed(outcome));
  },
};

const move: R = {
  method: 'POST',
  path: '/rotations/:rotationId/singers/:singerId/move',
  roles: KJ,
  async handle(request, { service }) {
    const { position } = v.object({ position: v.integer(0, 10_000) })(request.body, '');
    const outcome = await runCommand(service, request, rid(request.params), {
      type: 'MoveSinger',
      singerId: request.params.singerId!,
      position,
    });
    return ok(committed(outcome));
  },
};

const callNext: R = {
  method: 'POST',
  path: '/rotations/:rotationId/turns',
  roles: KJ,
  async handle(request, { service, newId }) {
    v.NO_BODY(request.body ?? {}, '');
    const outcome = await runCommand(service, request, rid(request.params), { type: 'CallNext', turnId: newId() });
    const turn = outcome.state.currentTurn!;
    return ok({ turnId: turn.turnId, singerId: turn.singerId, song: turn.song, ...committed(outcome) }, 201);
  },
};

const turnAction = (action: 'start' | 'complete' | 'forfeit', type: 'StartTurn' | 'CompleteTurn' | 'ForfeitTurn'): R => ({
  method: 'POST',
  path: `/rotations/:rotationId/turns/:turnId/${action}`,
  roles: KJ,
  async handle(request, { service }) {
    v.NO_BODY(request.body ?? {}, '');
    const outcome = await runCommand(service, request, rid(request.params), { type, turnId: request.params.turnId! });
    return ok(committed(outcome));
  },
});

const close: R = {
  method: 'POST',
  path: '/rotations/:rotationId/close',
  roles: KJ,
  async handle(request, { service, anchors }) {
    v.NO_BODY(request.body ?? {}, '');
    const rotationId = rid(request.params);
    const outcome = await runCommand(service, request, rotationId, { type: 'CloseRotation' });
    // The closed night's head goes outside the event table before we answer: an edit at the end of the log
    // (the last commit re-hashed, commits deleted, history re-chained) no longer matches it. A retry with the
    // same Idempotency-Key replays the close and records the same anchor again, which changes nothing.
    await anchors?.record({ streamId: streamIdFor(rotationId), version: outcome.version, hash: outcome.headHash, anchoredAt: request.now });
    return ok(committed(outcome));
  },
};

const contact: R = {
  method: 'PUT',
  path: '/singers/:singerId/contact',
  roles: ['singer'],
  selfParam: 'singerId',
  async handle(request, { contacts }) {
    const body = v.object(
      { phone: v.phone, email: v.email, channels: v.listOf(v.oneOf(['sms', 'email'] as const), { max: 2 }) },
      ['phone', 'email'],
    )(request.body, '');
    if (body.channels.includes('sms') && !body.phone) throw invalidRequest('To get SMS alerts, give a `phone` number.');
    if (body.channels.includes('email') && !body.email) throw invalidRequest('To get email alerts, give an `email` address.');
    const singerId = request.params.singerId!;
    await contacts.save({ singerId, ...body });
    // Never the phone or email themselves: the answer is logged, replayed and kept by the idempotency record.
    return ok({ singerId, channels: body.channels, phone: body.phone !== undefined, email: body.email !== undefined });
  },
};

const history: R = {
  method: 'GET',
  path: '/singers/:singerId/history',
  roles: ANYONE,
  selfParam: 'singerId',
  async handle({ params }, { history }) {
    return ok({ performances: await history.performances(params.singerId!) });
  },
};

export const ownerOnly = (kjId: string, sub: string) => {
  if (kjId !== sub) throw forbidden('Only the KJ who opened this rotation can read its log.');
};

export const rotationRoutes: readonly R[] = [
  openRotation,
  readQueue,
  join,
  queueSong,
  withdrawSong,
  singerAction('skip', 'SkipTurn'),
  singerAction('away', 'GoAway'),
  singerAction('back', 'ComeBack'),
  leave,
  move,
  callNext,
  turnAction('start', 'StartTurn'),
  turnAction('complete', 'CompleteTurn'),
  turnAction('forfeit', 'ForfeitTurn'),
  close,
  contact,
  history,
];
