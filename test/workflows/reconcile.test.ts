/**
 * The scheduled reconciler (the AWS twin of resumeOpenTurns) on a real (dynalite) event store, with a mocked
 * Step Functions client — no local engine speaks DescribeExecution — asserting the exact requests it sends.
 */
import { DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { createDynamoEventStore } from '../../src/eventstore/dynamoEventStore';
import { catchUpProjections, createRotationReadModels } from '../../src/projections';
import { createSfnTurnExecutions, executionArnOf } from '../../src/workflows/adapters/sfnExecutions';
import { createSfnTurnStarter } from '../../src/workflows/adapters/sfnStarter';
import { createReconcileOpenTurnsHandler } from '../../src/workflows/handlers/reconcileOpenTurns';
import { createStartTurnWorkflowHandler } from '../../src/workflows/handlers/startTurnWorkflow';
import { nextTurnIdAfter, workflowCommandIds } from '../../src/workflows/ids';
import { COMPLETION_TIMEOUT_SECONDS } from '../../src/workflows/names';
import { withEmbeddedDynamo } from '../support/dynamo';
import { rotationOn } from './support';

const dynamo = withEmbeddedDynamo();
const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:karaoke-turn-dev';

/** A Step Functions client that answers DescribeExecution from `statuses` (absent → ExecutionDoesNotExist). */
const mockSfn = (statuses: Record<string, string>) => {
  const sent: { command: string; input: unknown }[] = [];
  const send = jest.fn(async (command: { input: any; constructor: { name: string } }) => {
    sent.push({ command: command.constructor.name, input: command.input });
    if (command instanceof DescribeExecutionCommand) {
      const name = command.input.executionArn!.split(':').pop()!;
      const status = statuses[name];
      if (!status) throw Object.assign(new Error(`Execution Does Not Exist: '${command.input.executionArn}'`), { name: 'ExecutionDoesNotExist' });
      return { status };
    }
    if (command instanceof StartExecutionCommand) {
      statuses[command.input.name!] = 'RUNNING';
      return { executionArn: executionArnOf(STATE_MACHINE, command.input.name!) };
    }
    throw new Error(`unexpected ${command.constructor.name}`);
  });
  return { sent, sfn: { send } as unknown as SFNClient };
};

it('builds execution ARNs from the state machine ARN', () => {
  expect(executionArnOf(STATE_MACHINE, 'turn-1')).toBe('arn:aws:states:eu-west-1:123456789012:execution:karaoke-turn-dev:turn-1');
  expect(() => executionArnOf('arn:aws:sns:eu-west-1:1:topic', 'x')).toThrow(RangeError);
});

it('starts a missing execution, ends turns whose execution ended, leaves running ones alone, and is a no-op when run again', async () => {
  const { client, tableNames } = dynamo;
  const running = await rotationOn(client, tableNames.events, ['amy']);
  await running.callNext('t-running');
  const missing = await rotationOn(client, tableNames.events, ['bo'], { noShowTimeoutSeconds: 45, autoAdvance: true });
  const missed = await missing.callNext('t-missing');
  const failed = await rotationOn(client, tableNames.events, ['cy']);
  await failed.callNext('t-failed');
  const timedOut = await rotationOn(client, tableNames.events, ['di']);
  await timedOut.callNext('t-timed-out');
  await timedOut.run({ type: 'StartTurn', turnId: 't-timed-out' });
  const idle = await rotationOn(client, tableNames.events, ['ed']); // open, no turn called: nothing to check

  // The queue view follows the log (in AWS its projector follows the table's stream); its index names open turns.
  const store = createDynamoEventStore({ client, tableName: tableNames.events });
  const readModels = createRotationReadModels(client, tableNames);
  const project = () => catchUpProjections({ store, projections: readModels.projections });
  await project();
  // Only the rotations with a turn open are candidates: the idle one is not read at all.
  expect((await readModels.openTurns.rotationsWithOpenTurn()).sort()).toEqual([running, missing, failed, timedOut].map((r) => r.rotationId).sort());

  const statuses: Record<string, string> = { 't-running': 'RUNNING', 't-failed': 'FAILED', 't-timed-out': 'TIMED_OUT' };
  const { sent, sfn } = mockSfn(statuses);
  const starter = createSfnTurnStarter({ sfn, stateMachineArn: STATE_MACHINE });
  const reconcile = createReconcileOpenTurnsHandler({
    service: running.service,
    now: () => '2025-01-01T23:00:00.000Z',
    openTurns: readModels.openTurns,
    executions: createSfnTurnExecutions({ sfn, stateMachineArn: STATE_MACHINE }),
    startTurn: (event) => createStartTurnWorkflowHandler({ service: running.service, starter })(event as never),
  });

  const report = await reconcile();
  expect(report).toEqual({
    openTurns: 4,
    running: 1,
    started: [{ rotationId: missing.rotationId, turnId: 't-missing', result: 'started' }],
    // With autoAdvance (the default) the next singer is called as the workflow would: cy, the only one with a
    // song, again; di sang hers, so that rotation idles.
    ended: expect.arrayContaining([
      { rotationId: failed.rotationId, turnId: 't-failed', outcome: 'forfeited', next: 'called' },
      { rotationId: timedOut.rotationId, turnId: 't-timed-out', outcome: 'completed', next: 'idle' },
    ]),
  });
  expect(report.ended).toHaveLength(2);

  // Exactly one DescribeExecution per open turn, and one StartExecution with the input the TurnCalled rule sends.
  const describes = sent.filter((s) => s.command === 'DescribeExecutionCommand').map((s) => s.input);
  expect(describes).toHaveLength(4);
  expect(describes).toEqual(
    expect.arrayContaining(['t-running', 't-missing', 't-failed', 't-timed-out'].map((name) => ({ executionArn: executionArnOf(STATE_MACHINE, name) }))),
  );
  expect(sent.filter((s) => s.command === 'StartExecutionCommand').map((s) => s.input)).toEqual([
    {
      stateMachineArn: STATE_MACHINE,
      name: 't-missing',
      input: JSON.stringify({
        Payload: {
          rotationId: missing.rotationId,
          turnId: 't-missing',
          singerId: 'bo',
          calledVersion: missed.calledVersion,
          noShowTimeoutSeconds: 45,
          completionTimeoutSeconds: COMPLETION_TIMEOUT_SECONDS,
          autoAdvance: true,
        },
      }),
    },
  ]);
  expect(sent).toHaveLength(5);

  // The ended turns are in the log as the workflow would have written them, by the system actor.
  expect(await failed.eventsOf('TurnForfeited')).toEqual([expect.objectContaining({ actor: { id: 'turn-workflow', role: 'system' } })]);
  expect(await timedOut.eventsOf('TurnCompleted')).toEqual([expect.objectContaining({ actor: { id: 'turn-workflow', role: 'system' } })]);
  expect(await running.eventsOf('TurnForfeited')).toEqual([]);
  expect(await idle.eventsOf('TurnCalled')).toEqual([]);

  // Run again: the started one now runs, the ended ones are no longer open; cy's new turn has no execution yet
  // (in AWS its TurnCalled rule starts it) and is started as that rule would.
  sent.length = 0;
  await project();
  expect(await reconcile()).toEqual({
    openTurns: 3,
    running: 2,
    started: [{ rotationId: failed.rotationId, turnId: nextTurnIdAfter('t-failed'), result: 'started' }],
    ended: [],
  });
  // And once more: nothing left to do.
  sent.length = 0;
  expect(await reconcile()).toEqual({ openTurns: 3, running: 3, started: [], ended: [] });
  expect(sent.map((s) => s.command)).toEqual(['DescribeExecutionCommand', 'DescribeExecutionCommand', 'DescribeExecutionCommand']);
});

it('a Step Functions error other than "does not exist" is thrown, not taken as a missing execution', async () => {
  const sfn = { send: jest.fn(async () => Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))) };
  await expect(createSfnTurnExecutions({ sfn: sfn as never, stateMachineArn: STATE_MACHINE }).status('t-1')).rejects.toThrow('Rate exceeded');
});

it('after ending a turn whose execution ended, calls the next singer as the workflow would have (autoAdvance), once', async () => {
  const { client, tableNames } = dynamo;
  // Each execution failed: one while its singer was called, one during the performance.
  const noShow = await rotationOn(client, tableNames.events, ['amy', 'bo'], { autoAdvance: true });
  await noShow.callNext('t-called');
  const performing = await rotationOn(client, tableNames.events, ['cy', 'di'], { autoAdvance: true });
  await performing.callNext('t-performing');
  await performing.run({ type: 'StartTurn', turnId: 't-performing' });
  const manual = await rotationOn(client, tableNames.events, ['ed', 'flo'], { autoAdvance: false });
  await manual.callNext('t-manual');

  const store = createDynamoEventStore({ client, tableName: tableNames.events });
  const readModels = createRotationReadModels(client, tableNames);
  await catchUpProjections({ store, projections: readModels.projections });
  const { sfn } = mockSfn({ 't-called': 'FAILED', 't-performing': 'FAILED', 't-manual': 'ABORTED' });
  const reconcile = createReconcileOpenTurnsHandler({
    service: noShow.service,
    now: () => '2025-01-01T23:00:00.000Z',
    openTurns: readModels.openTurns,
    executions: createSfnTurnExecutions({ sfn, stateMachineArn: STATE_MACHINE }),
    startTurn: (event) => createStartTurnWorkflowHandler({ service: noShow.service, starter: createSfnTurnStarter({ sfn, stateMachineArn: STATE_MACHINE }) })(event as never),
  });

  const report = await reconcile();
  expect(report.ended).toEqual(
    expect.arrayContaining([
      { rotationId: noShow.rotationId, turnId: 't-called', outcome: 'forfeited', next: 'called' },
      { rotationId: performing.rotationId, turnId: 't-performing', outcome: 'completed', next: 'called' },
      { rotationId: manual.rotationId, turnId: 't-manual', outcome: 'forfeited' },
    ]),
  );
  // The next singer is called with the turn id and command id the workflow's CallNextSinger uses, by the system.
  const called = async (r: typeof noShow) => (await r.eventsOf('TurnCalled')).map((e) => ({ turnId: (e.data as { turnId: string }).turnId, singerId: (e.data as { singerId: string }).singerId, actor: e.actor.id }));
  expect(await called(noShow)).toEqual([
    { turnId: 't-called', singerId: 'amy', actor: 'kj-1' },
    { turnId: nextTurnIdAfter('t-called'), singerId: 'bo', actor: 'turn-workflow' },
  ]);
  expect((await called(performing)).at(-1)).toEqual({ turnId: nextTurnIdAfter('t-performing'), singerId: 'di', actor: 'turn-workflow' });
  expect(await called(manual)).toHaveLength(1);

  // The failed workflow's own step, had it run after all, is then a replay: no second call.
  const again = await noShow.service.execute(noShow.rotationId, { type: 'CallNext', turnId: nextTurnIdAfter('t-called'), actor: { id: 'turn-workflow', role: 'system' }, at: '2025-01-01T23:00:01.000Z' }, workflowCommandIds.callNextAfter('t-called'));
  expect(again).toMatchObject({ kind: 'accepted', replayed: true });
});
