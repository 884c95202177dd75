/**
 * Every workflow Lambda's handler, one named export each (index.ts maps them to functions). Each builds its
 * handler from the shared AWS adapters on first use, so a function only creates the clients it calls.
 */
import type { EventBridgeEnvelope } from '../../eventbus/busEvent';
import type { AlertSingersRequest, AwaitTurnRequest, TurnRef } from '../contract';
import { createAdvanceIdleRotationHandler } from '../handlers/advanceIdleRotation';
import { createAlertSingersHandler } from '../handlers/alertSingers';
import { createAwaitTurnHandler } from '../handlers/awaitTurn';
import { createReconcileOpenTurnsHandler } from '../handlers/reconcileOpenTurns';
import { createReleaseTurnWaitHandler } from '../handlers/releaseTurnWait';
import { createStartTurnWorkflowHandler } from '../handlers/startTurnWorkflow';
import { createCallNextSingerHandler, createCompleteOverdueTurnHandler, createForfeitNoShowHandler } from '../handlers/turnCommands';
import { awsNotifier, openTurnIndex, taskCallbacks, taskTokens, turnExecutions, turnStarter, workflowDeps } from './awsDeps';

/** Task AlertSingers (invoked by Step Functions with the task's Payload). */
export const alertSingers = (request: AlertSingersRequest) =>
  createAlertSingersHandler({ service: workflowDeps().service, notifier: awsNotifier() })(request);

/** Tasks WaitForStage and WaitForTurnEnd (lambda:invoke.waitForTaskToken). */
export const awaitTurn = (request: AwaitTurnRequest) =>
  createAwaitTurnHandler({ ...workflowDeps(), tokens: taskTokens(), callbacks: taskCallbacks() })(request);

export const forfeitNoShow = (request: TurnRef) => createForfeitNoShowHandler(workflowDeps())(request);
export const completeOverdueTurn = (request: TurnRef) => createCompleteOverdueTurnHandler(workflowDeps())(request);
export const callNextSinger = (request: TurnRef) => createCallNextSingerHandler(workflowDeps())(request);

/**
 * Target of the `start-turn-workflow` rule (TURN_CALLED_PATTERN): StartExecution named by the turn id. A Lambda
 * rather than EventBridge's direct Step Functions target because the execution input needs the rotation's
 * settings (noShowTimeoutSeconds, autoAdvance), which the TurnCalled event does not carry, and because a
 * repeated start (ExecutionAlreadyExists) must count as done, not as a failed delivery.
 */
export const startTurnWorkflow = (event: EventBridgeEnvelope) =>
  createStartTurnWorkflowHandler({ service: workflowDeps().service, starter: turnStarter() })(event);

/** Target of the release-turn-wait rules (TURN_STARTED_PATTERN, TURN_ENDED_PATTERN). */
export const releaseTurnWait = (event: EventBridgeEnvelope) =>
  createReleaseTurnWaitHandler({ tokens: taskTokens(), callbacks: taskCallbacks() })(event);

/** Target of the `advance-idle-rotation` rule (ROTATION_MAY_ADVANCE_PATTERN). */
export const advanceIdleRotation = (event: EventBridgeEnvelope) => createAdvanceIdleRotationHandler(workflowDeps())(event);

/**
 * Run by an EventBridge Scheduler schedule: every open turn gets a running execution, or is ended as the
 * workflow would have ended it (handlers/reconcileOpenTurns.ts).
 */
export const reconcileOpenTurns = async () => {
  const deps = workflowDeps();
  const report = await createReconcileOpenTurnsHandler({
    ...deps,
    openTurns: openTurnIndex(),
    executions: turnExecutions(),
    startTurn: (event) => startTurnWorkflow(event as never),
  })();
  // One line per run for the log; what it started or ended is what someone may want to look at.
  console.log(JSON.stringify({ message: 'reconciled open turns', ...report }));
  return report;
};
