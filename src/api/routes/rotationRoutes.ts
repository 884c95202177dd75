import { streamIdFor } from '../../eventstore/tables';
import type { ApiDeps } from '../deps';
import { forbidden, notFound } from '../http/errors';
import type * as z from 'zod';
import { defineRoute, preSerialized, type Endpoint, type Route, type RouteRequest } from '../http/route';
import {
  CalledTurn,
  Contact,
  History,
  Joined,
  KjJoinBody,
  MoveBody,
  OpenedRotation,
  OpenRotationBody,
  QueuedSong,
  QueueView,
  SavedContact,
  SingerJoinBody,
  SongChoice,
  VersionAnswer,
} from '../contract/schemas';
import { claimStillInUse } from '../joinCodes';
import { committed, idFromCommand, runCommand, type CommandBody } from './commands';
import { songFromChoice } from './songbookRoutes';

const route = defineRoute<ApiDeps>();
const KJ = ['kj'] as const;
const ANYONE = ['kj', 'singer'] as const;
/** Every command on an existing rotation can meet these. */
const ON_ROTATION = ['rotation-not-found', 'forbidden', 'rotation-closed'] as const;
const ON_SINGER = [...ON_ROTATION, 'not-in-rotation'] as const;
const rid = (params: Readonly<Record<string, string>>) => params.rotationId!;

/** A bodyless route that runs one command on the rotation, made from the path, and answers its new version. */
const commandRoute = (
  spec: Pick<Endpoint, 'method' | 'path' | 'summary' | 'rejects'> & { roles: readonly ('kj' | 'singer')[]; selfParam?: string },
  command: (request: RouteRequest) => CommandBody,
): Route<ApiDeps> =>
  route({ ...spec, success: { status: 200, schema: VersionAnswer } }, async (request, { service }) => {
    const outcome = await runCommand(service, request, rid(request.params), command(request));
    return committed(outcome);
  });

const openRotation = route(
  {
    method: 'POST',
    path: '/rotations',
    summary: 'Open a rotation (a night at a venue)',
    roles: KJ,
    body: OpenRotationBody,
    success: { status: 201, schema: OpenedRotation },
    rejects: ['forbidden', 'rotation-already-open'],
  },
  async (request, { service, joinCodes, queue }) => {
    const { venue, settings } = request.body;
    const rotationId = idFromCommand(request, 'rotation');
    // The code is claimed first and recorded in the opening event, so the log says which code the night had.
    const stillInUse = claimStillInUse(async (id) => (await queue.read(id, request.now))?.status ?? null, () => request.now);
    const joinCode = await joinCodes.claim({ rotationId, venue, now: request.now }, stillInUse);
    const outcome = await runCommand(service, request, rotationId, {
      type: 'OpenRotation',
      rotationId,
      venue,
      joinCode,
      ...(settings ? { settings } : {}),
    });
    // A retried open (the same command) replays the first one: its code is the night's, this claim is spare.
    const recorded = outcome.state.joinCode ?? joinCode;
    if (recorded !== joinCode) await joinCodes.release(joinCode, rotationId);
    return { rotationId, joinCode: recorded, ...committed(outcome) };
  },
);

const readQueue = route(
  {
    method: 'GET',
    path: '/rotations/:rotationId/queue',
    summary: 'The queue view: who sings now, who is next, how long each waits',
    roles: ANYONE,
    success: { status: 200, schema: QueueView },
  },
  async ({ params, now }, { queue }) => {
    // Phones re-read a queue far more often than it changes: where the reader keeps the view's JSON, send that.
    const view = queue.readJson ? await queue.readJson(rid(params), now) : await queue.read(rid(params), now);
    if (!view) throw notFound(`There is no rotation ${rid(params)}.`);
    return view instanceof Uint8Array ? preSerialized<z.input<typeof QueueView>>(view) : view;
  },
);

const join = route(
  {
    method: 'POST',
    path: '/rotations/:rotationId/singers',
    summary: 'Join with a song (a singer as themselves), or add a singer (a KJ)',
    roles: ANYONE,
    body: { singer: SingerJoinBody, kj: KjJoinBody },
    success: { status: 201, schema: Joined },
    rejects: [...ON_ROTATION, 'already-joined', 'rotation-full', 'song-not-in-songbook'],
  },
  async (request, deps) => {
    const { principal, body } = request;
    // A singer joins as themselves; a KJ adds someone by id, or a walk-up with an id made here (API.md).
    const singerId = principal.role === 'singer' ? principal.sub : 'singerId' in body && body.singerId ? body.singerId : `walkup-${idFromCommand(request, 'walkup').replace(/-/g, '').slice(0, 12)}`;
    const chosen = await songFromChoice(deps, rid(request.params), body.song);
    const outcome = await runCommand(deps.service, request, rid(request.params), {
      type: 'JoinRotation',
      singerId,
      displayName: body.displayName,
      songId: idFromCommand(request, 'song'),
      ...chosen,
      ...('placement' in body && body.placement ? { placement: body.placement } : {}),
    });
    return { singerId, ...committed(outcome) };
  },
);

const queueSong = route(
  {
    method: 'POST',
    path: '/rotations/:rotationId/singers/:singerId/songs',
    summary: 'Queue another song',
    roles: ANYONE,
    selfParam: 'singerId',
    body: SongChoice,
    success: { status: 201, schema: QueuedSong },
    rejects: [...ON_SINGER, 'too-many-songs', 'duplicate-id', 'song-not-in-songbook'],
  },
  async (request, deps) => {
    const songId = idFromCommand(request, 'song');
    const chosen = await songFromChoice(deps, rid(request.params), request.body);
    const outcome = await runCommand(deps.service, request, rid(request.params), {
      type: 'QueueSong',
      singerId: request.params.singerId!,
      songId,
      ...chosen,
    });
    return { songId, ...committed(outcome) };
  },
);

const withdrawSong = commandRoute(
  {
    method: 'DELETE',
    path: '/rotations/:rotationId/singers/:singerId/songs/:songId',
    summary: 'Withdraw a pending song',
    roles: ANYONE,
    selfParam: 'singerId',
    rejects: [...ON_SINGER, 'song-not-found'],
  },
  ({ params }) => ({ type: 'WithdrawSong', singerId: params.singerId!, songId: params.songId! }),
);

/** Routes that act on one singer with no body: skip, away, back. */
const singerAction = (action: 'skip' | 'away' | 'back', type: 'SkipTurn' | 'GoAway' | 'ComeBack', summary: string) =>
  commandRoute(
    { method: 'POST', path: `/rotations/:rotationId/singers/:singerId/${action}`, summary, roles: ANYONE, selfParam: 'singerId', rejects: ON_SINGER },
    ({ params }) => ({ type, singerId: params.singerId! }),
  );

const leave = commandRoute(
  {
    method: 'DELETE',
    path: '/rotations/:rotationId/singers/:singerId',
    summary: 'Leave the rotation (a singer), or remove a singer (a KJ)',
    roles: ANYONE,
    selfParam: 'singerId',
    rejects: ON_SINGER,
  },
  // The singer leaves; the KJ removes. Both take the slot away, recorded differently for the audit.
  ({ params, principal }) => ({ type: principal.role === 'singer' ? 'LeaveRotation' : 'RemoveSinger', singerId: params.singerId! }),
);

const move = route(
  {
    method: 'POST',
    path: '/rotations/:rotationId/singers/:singerId/move',
    summary: 'Move a singer to an index of the `singers` view',
    roles: KJ,
    body: MoveBody,
    success: { status: 200, schema: VersionAnswer },
    rejects: [...ON_SINGER, 'invalid-position', 'singer-on-stage'],
  },
  async (request, { service }) => {
    const outcome = await runCommand(service, request, rid(request.params), {
      type: 'MoveSinger',
      singerId: request.params.singerId!,
      position: request.body.position,
    });
    return committed(outcome);
  },
);

const callNext = route(
  {
    method: 'POST',
    path: '/rotations/:rotationId/turns',
    summary: 'Call the next singer',
    roles: KJ,
    success: { status: 201, schema: CalledTurn },
    rejects: [...ON_ROTATION, 'turn-in-progress', 'no-eligible-singer'],
  },
  async (request, { service }) => {
    const outcome = await runCommand(service, request, rid(request.params), { type: 'CallNext', turnId: idFromCommand(request, 'turn') });
    const turn = outcome.state.currentTurn!;
    return { turnId: turn.turnId, singerId: turn.singerId, song: turn.song, ...committed(outcome) };
  },
);

const turnAction = (action: 'start' | 'complete' | 'forfeit', type: 'StartTurn' | 'CompleteTurn' | 'ForfeitTurn', summary: string) =>
  commandRoute(
    {
      method: 'POST',
      path: `/rotations/:rotationId/turns/:turnId/${action}`,
      summary,
      roles: KJ,
      rejects: [...ON_ROTATION, 'turn-not-open', ...(action === 'forfeit' ? (['turn-already-started'] as const) : [])],
    },
    ({ params }) => ({ type, turnId: params.turnId! }),
  );

const close = route(
  {
    method: 'POST',
    path: '/rotations/:rotationId/close',
    summary: 'Close the rotation for the night',
    roles: KJ,
    success: { status: 200, schema: VersionAnswer },
    rejects: ON_ROTATION,
  },
  async (request, { service, anchors, joinCodes }) => {
    const rotationId = rid(request.params);
    const outcome = await runCommand(service, request, rotationId, { type: 'CloseRotation' });
    // The code is free for another night; GET /join answers 404 for it from now on either way.
    if (outcome.state.joinCode) await joinCodes.release(outcome.state.joinCode, rotationId);
    // The closed night's head goes outside the event table before we answer: an edit at the end of the log
    // (the last commit re-hashed, commits deleted, history re-chained) no longer matches it. A retry with the
    // same Idempotency-Key replays the close and records the same anchor again, which changes nothing.
    await anchors?.record({ streamId: streamIdFor(rotationId), version: outcome.version, hash: outcome.headHash, anchoredAt: request.now });
    return committed(outcome);
  },
);

const contact = route(
  {
    method: 'PUT',
    path: '/singers/:singerId/contact',
    summary: 'Set how to be alerted before a turn: SMS, email, or neither',
    roles: ['singer'],
    selfParam: 'singerId',
    body: Contact,
    success: { status: 200, schema: SavedContact },
  },
  async (request, { contacts }) => {
    const singerId = request.params.singerId!;
    const { phone, email, channels } = request.body;
    await contacts.save({ singerId, ...request.body });
    // Never the phone or email themselves: the answer is logged, replayed and kept by the idempotency record.
    return { singerId, channels, phone: phone !== undefined, email: email !== undefined };
  },
);

const history = route(
  {
    method: 'GET',
    path: '/singers/:singerId/history',
    summary: 'A singer’s performances, every night',
    roles: ANYONE,
    selfParam: 'singerId',
    success: { status: 200, schema: History },
  },
  async ({ params }, { history }) => ({ performances: await history.performances(params.singerId!) }),
);

export const ownerOnly = (kjId: string, sub: string) => {
  if (kjId !== sub) throw forbidden('Only the KJ who opened this rotation can read its log.');
};

export const rotationRoutes: readonly Route<ApiDeps>[] = [
  openRotation,
  readQueue,
  join,
  queueSong,
  withdrawSong,
  singerAction('skip', 'SkipTurn', 'Skip the next turn (or the one just called)'),
  singerAction('away', 'GoAway', 'Step away: keep the slot, skip turns until back'),
  singerAction('back', 'ComeBack', 'Come back from away'),
  leave,
  move,
  callNext,
  turnAction('start', 'StartTurn', 'The called singer takes the stage'),
  turnAction('complete', 'CompleteTurn', 'The song ended'),
  turnAction('forfeit', 'ForfeitTurn', 'No-show: the called singer did not come up'),
  close,
  contact,
  history,
];
