/** The workflow's task and bus-target handlers on a real (dynalite) event store and task-token table. */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoTaskTokenStore } from '../../src/workflows/adapters/dynamoTaskTokens';
import { createAdvanceIdleRotationHandler } from '../../src/workflows/handlers/advanceIdleRotation';
import { createAwaitTurnHandler } from '../../src/workflows/handlers/awaitTurn';
import { createReleaseTurnWaitHandler } from '../../src/workflows/handlers/releaseTurnWait';
import { createStartTurnWorkflowHandler } from '../../src/workflows/handlers/startTurnWorkflow';
import {
  createCallNextSingerHandler,
  createCompleteOverdueTurnHandler,
  createForfeitNoShowHandler,
} from '../../src/workflows/handlers/turnCommands';
import { nextTurnIdAfter, turnIdOnAdvance } from '../../src/workflows/ids';
import type { TaskCallbacks } from '../../src/workflows/ports';
import { withEmbeddedDynamo } from '../support/dynamo';
import { rotationOn } from './support';

const dynamo = withEmbeddedDynamo();
const night = (singers: string[], settings = {}) => rotationOn(dynamo.client, dynamo.tableNames.events, singers, settings);
const SYSTEM = { id: 'turn-workflow', role: 'system' };

/** Callbacks that record what was sent; every token is "waiting" unless listed as gone. */
const recordingCallbacks = (gone: string[] = []) => {
  const sent: [string, unknown][] = [];
  const callbacks: TaskCallbacks = {
    succeed: async (token, output) => {
      sent.push([token, output]);
      return gone.includes(token) ? 'gone' : 'delivered';
    },
  };
  return { sent, callbacks };
};
const tokens = () => createDynamoTaskTokenStore({ client: dynamo.client, tableName: dynamo.tableNames.taskTokens });
const envelope = (rotationId: string, type: string, data: Record<string, unknown>, seq = 1, version = 1) => ({
  detail: { rotationId, streamId: `rotation#${rotationId}`, version, seq, type, schemaVersion: 1, data, actor: { id: 'kj-1', role: 'kj' }, at: '2025-01-01T20:00:00.000Z' },
});

describe('command tasks', () => {
  it('ForfeitNoShow forfeits once as the system actor: a retried step is a replay, not a second no-show', async () => {
    const r = await night(['amy', 'bo'], { maxNoShows: 3 });
    const { turnId } = await r.callNext('t-forfeit');
    const forfeit = createForfeitNoShowHandler({ service: r.service, now: r.now });
    const first = await forfeit({ rotationId: r.rotationId, turnId });
    const again = await forfeit({ rotationId: r.rotationId, turnId });
    expect(first).toEqual({ outcome: 'forfeited', version: first.version });
    expect(again).toEqual(first);
    const forfeits = await r.eventsOf('TurnForfeited');
    expect(forfeits.map((e) => [e.data, e.actor])).toEqual([[{ turnId, singerId: 'amy', songId: 'amy-1', reason: 'no-show' }, SYSTEM]]);
  });

  it('ForfeitNoShow: a singer already on stage goes on performing; a turn the KJ already ended is a normal outcome', async () => {
    const r = await night(['amy', 'bo']);
    const forfeit = createForfeitNoShowHandler({ service: r.service, now: r.now });
    const { turnId } = await r.callNext('t-started');
    await r.run({ type: 'StartTurn', turnId });
    expect(await forfeit({ rotationId: r.rotationId, turnId })).toMatchObject({ outcome: 'started', rejection: 'turn-already-started' });
    await r.run({ type: 'CompleteTurn', turnId });
    expect(await forfeit({ rotationId: r.rotationId, turnId })).toMatchObject({ outcome: 'ended', rejection: 'turn-not-open' });
    expect(await r.eventsOf('TurnForfeited')).toEqual([]);
    const complete = createCompleteOverdueTurnHandler({ service: r.service, now: r.now });
    expect(await complete({ rotationId: r.rotationId, turnId })).toMatchObject({ outcome: 'ended', rejection: 'turn-not-open' });
  });

  it('a refusal that is not a turn outcome is a typed error', async () => {
    const r = await night(['amy']);
    const forfeit = createForfeitNoShowHandler({ service: r.service, now: r.now });
    await expect(forfeit({ rotationId: 'no-such-rotation', turnId: 't' })).rejects.toMatchObject({
      name: 'UnexpectedRejectionError',
      code: 'unexpected-rejection',
      rejection: { code: 'rotation-not-found' },
    });
  });

  it('CallNextSinger calls the turn id derived from the ended turn, once however often it runs; nobody eligible is "idle"', async () => {
    const r = await night(['amy', 'bo']);
    const { turnId } = await r.callNext('t-first');
    await r.run({ type: 'CompleteTurn', turnId });
    const callNext = createCallNextSingerHandler({ service: r.service, now: r.now });
    const first = await callNext({ rotationId: r.rotationId, turnId });
    expect(first).toMatchObject({ outcome: 'called', turnId: nextTurnIdAfter(turnId) });
    expect(await callNext({ rotationId: r.rotationId, turnId })).toEqual(first);
    const calls = await r.eventsOf('TurnCalled');
    expect(calls.map((e) => [(e.data as { singerId: string }).singerId, e.actor.role])).toEqual([['amy', 'kj'], ['bo', 'system']]);
    // A turn is open: a second workflow's call is refused with turn-in-progress, which is fine.
    expect(await callNext({ rotationId: r.rotationId, turnId: 'another-ended-turn' })).toMatchObject({ outcome: 'already-called', rejection: 'turn-in-progress' });
    await r.run({ type: 'CompleteTurn', turnId: first.turnId! });
    expect(await callNext({ rotationId: r.rotationId, turnId: first.turnId! })).toMatchObject({ outcome: 'idle', rejection: 'no-eligible-singer' });
  });
});

describe('advancing an idle rotation', () => {
  it('calls only when the night has started, autoAdvance is on, no turn is open and someone is eligible', async () => {
    const r = await night(['amy']);
    const advance = createAdvanceIdleRotationHandler({ service: r.service, now: r.now });
    const on = (seq: number) => envelope(r.rotationId, 'SingerJoined', { singerId: 'x' }, seq);
    expect(await advance(on(2))).toEqual({ outcome: 'not-started' });
    const { turnId } = await r.callNext('t-1');
    expect(await advance(on(3))).toEqual({ outcome: 'not-idle' });
    await r.run({ type: 'CompleteTurn', turnId });
    expect(await advance(on(4))).toEqual({ outcome: 'nobody-eligible' });
    await r.run({ type: 'QueueSong', singerId: 'amy', songId: 'amy-2', song: { title: 'Two', artist: 'A' } }, { id: 'amy', role: 'singer' });
    const called = await advance(on(9));
    expect(called).toMatchObject({ outcome: 'called', turnId: turnIdOnAdvance(r.rotationId, 9) });
    // The same event again (a redelivery) finds the turn open: nothing more.
    expect(await advance(on(9))).toEqual({ outcome: 'not-idle' });
    expect((await r.eventsOf('TurnCalled')).map((e) => e.actor)).toEqual([{ id: 'kj-1', role: 'kj' }, SYSTEM]);
  });

  it('does nothing without autoAdvance', async () => {
    const r = await night(['amy'], { autoAdvance: false });
    const { turnId } = await r.callNext('t-1');
    await r.run({ type: 'CompleteTurn', turnId });
    await r.run({ type: 'QueueSong', singerId: 'amy', songId: 'amy-2', song: { title: 'Two', artist: 'A' } }, { id: 'amy', role: 'singer' });
    expect(await createAdvanceIdleRotationHandler({ service: r.service, now: r.now })(envelope(r.rotationId, 'SongQueued', {}, 7))).toEqual({ outcome: 'no-auto-advance' });
  });
});

describe('waiting for the stage and the end of the turn', () => {
  it('stores the token while the turn is only called; the start releases the stage wait and forgets the token', async () => {
    const r = await night(['amy']);
    const { turnId } = await r.callNext('t-wait-1');
    const { sent, callbacks } = recordingCallbacks();
    const awaitTurn = createAwaitTurnHandler({ service: r.service, now: r.now, tokens: tokens(), callbacks });
    expect(await awaitTurn({ taskToken: 'tok-stage', rotationId: r.rotationId, turnId, waitingFor: 'stage', noShowTimeoutSeconds: 10 })).toEqual({ registered: true });
    const stored = await tokens().get(turnId);
    expect(stored).toMatchObject({ turnId, rotationId: r.rotationId, taskToken: 'tok-stage', waitingFor: 'stage' });
    // The item carries DynamoDB's TTL (epoch seconds, two days on), which the store does not hand back.
    const { Item } = await DynamoDBDocumentClient.from(dynamo.client).send(new GetCommand({ TableName: dynamo.tableNames.taskTokens, Key: { turnId } }));
    expect(Item).toEqual({ ...stored, expiresAt: Date.parse(stored!.registeredAt) / 1000 + 2 * 24 * 3600 });
    expect(sent).toEqual([]);

    const release = createReleaseTurnWaitHandler({ tokens: tokens(), callbacks });
    expect(await release(envelope(r.rotationId, 'TurnStarted', { turnId, singerId: 'amy' }))).toBe('delivered');
    expect(sent).toEqual([['tok-stage', { outcome: 'started' }]]);
    expect(await tokens().get(turnId)).toBeNull();
    expect(await release(envelope(r.rotationId, 'TurnStarted', { turnId, singerId: 'amy' }))).toBe('no-waiting-task');
  });

  it('a TurnStarted does not release the performance wait; the turn ending does', async () => {
    const r = await night(['amy']);
    const { turnId } = await r.callNext('t-wait-2');
    await r.run({ type: 'StartTurn', turnId });
    const { sent, callbacks } = recordingCallbacks();
    await createAwaitTurnHandler({ service: r.service, now: r.now, tokens: tokens(), callbacks })({ taskToken: 'tok-end', rotationId: r.rotationId, turnId, waitingFor: 'end', completionTimeoutSeconds: 3600 });
    const release = createReleaseTurnWaitHandler({ tokens: tokens(), callbacks });
    expect(await release(envelope(r.rotationId, 'TurnStarted', { turnId, singerId: 'amy' }))).toBe('no-waiting-task');
    expect(await release(envelope(r.rotationId, 'TurnCompleted', { turnId, singerId: 'amy' }))).toBe('delivered');
    expect(sent).toEqual([['tok-end', { outcome: 'completed' }]]);
  });

  it('a turn that moved on before its token was stored is released at once (the KJ was quicker than the workflow)', async () => {
    const r = await night(['amy', 'bo']);
    const { turnId } = await r.callNext('t-wait-3');
    await r.run({ type: 'StartTurn', turnId });
    const { sent, callbacks } = recordingCallbacks();
    const awaitTurn = createAwaitTurnHandler({ service: r.service, now: r.now, tokens: tokens(), callbacks });
    expect(await awaitTurn({ taskToken: 'tok-a', rotationId: r.rotationId, turnId, waitingFor: 'stage' })).toEqual({ registered: true, released: 'started', callback: 'delivered' });
    // Performing: the end wait waits.
    expect(await awaitTurn({ taskToken: 'tok-b', rotationId: r.rotationId, turnId, waitingFor: 'end' })).toEqual({ registered: true });
    await r.run({ type: 'CompleteTurn', turnId });
    expect(await awaitTurn({ taskToken: 'tok-c', rotationId: r.rotationId, turnId, waitingFor: 'end' })).toEqual({ registered: true, released: 'completed', callback: 'delivered' });
    expect(sent).toEqual([
      ['tok-a', { outcome: 'started' }],
      ['tok-c', { outcome: 'completed' }],
    ]);
  });

  it('a skip or a forfeit releases the stage wait with what happened; an unknown turn is a typed error', async () => {
    const r = await night(['amy', 'bo']);
    const { turnId } = await r.callNext('t-wait-4');
    const { sent, callbacks } = recordingCallbacks(['tok-gone']);
    const awaitTurn = createAwaitTurnHandler({ service: r.service, now: r.now, tokens: tokens(), callbacks });
    await awaitTurn({ taskToken: 'tok-gone', rotationId: r.rotationId, turnId, waitingFor: 'stage' });
    await r.run({ type: 'SkipTurn', singerId: 'amy' }, { id: 'amy', role: 'singer' });
    // The task had already timed out (its token is gone): that is fine, and the record is cleaned up.
    expect(await createReleaseTurnWaitHandler({ tokens: tokens(), callbacks })(envelope(r.rotationId, 'TurnSkipped', { turnId, singerId: 'amy' }))).toBe('gone');
    expect(sent).toEqual([['tok-gone', { outcome: 'skipped' }]]);
    expect(await tokens().get(turnId)).toBeNull();
    await expect(awaitTurn({ taskToken: 'x', rotationId: r.rotationId, turnId: 'never-called', waitingFor: 'stage' })).rejects.toMatchObject({ code: 'turn-not-found' });
  });

  it('the token store keeps a newer wait\'s token when an older one is deleted', async () => {
    const store = tokens();
    await store.put({ turnId: 'tt', rotationId: 'r', taskToken: 'old', waitingFor: 'stage', registeredAt: '2025-01-01T20:00:00.000Z' });
    await store.put({ turnId: 'tt', rotationId: 'r', taskToken: 'new', waitingFor: 'end', registeredAt: '2025-01-01T20:00:01.000Z' });
    await store.delete('tt', 'old');
    expect(await store.get('tt')).toMatchObject({ taskToken: 'new', waitingFor: 'end' });
    await store.delete('tt', 'new');
    expect(await store.get('tt')).toBeNull();
  });
});

describe('starting the workflow', () => {
  it('names the execution by the turn and carries the settings as they were when the turn was called', async () => {
    const r = await night(['amy'], { noShowTimeoutSeconds: 45, autoAdvance: false });
    const { turnId, calledVersion } = await r.callNext('turn-start-1');
    const starts: [string, unknown][] = [];
    const start = createStartTurnWorkflowHandler({
      service: r.service,
      starter: { start: async (name, input) => (starts.push([name, input]), starts.length === 1 ? 'started' : 'already-started') },
    });
    const event = envelope(r.rotationId, 'TurnCalled', { turnId, singerId: 'amy' }, 3, calledVersion);
    expect(await start(event)).toEqual({ executionName: turnId, result: 'started' });
    expect(await start(event)).toEqual({ executionName: turnId, result: 'already-started' });
    const expected = { Payload: { rotationId: r.rotationId, turnId, singerId: 'amy', calledVersion, noShowTimeoutSeconds: 45, completionTimeoutSeconds: 3600, autoAdvance: false } };
    expect(starts).toEqual([[turnId, expected], [turnId, expected]]);
    await expect(start(envelope(r.rotationId, 'TurnCalled', { turnId: 'other', singerId: 'amy' }, 3, calledVersion))).rejects.toMatchObject({ code: 'turn-not-found' });
  });
});
