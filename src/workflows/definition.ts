/**
 * The turn workflow, in Amazon States Language (JSONPath): the one definition the CDK app deploys (with
 * DefinitionSubstitutions for the `${…FunctionArn}` placeholders) and the local runtime executes with
 * aws-local-stepfunctions. One execution per turn, named by the turn id.
 *
 *   AlertSingers ─▶ WaitForStage ──started──▶ WaitForTurnEnd ─────────────▶ AfterTurn ─autoAdvance─▶ CallNextSinger ─▶ TurnDone
 *                    │  └─ended──────────────────────────────────────────────▲   └────────────────────────────────────▲
 *                    └─States.Timeout─▶ ForfeitNoShow ─started─▶ WaitForTurnEnd  (States.Timeout ─▶ CompleteOverdueTurn ─▶ AfterTurn)
 */
import { TURN_STATES as S, TURN_SUBSTITUTIONS as ARN } from './names';

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const fn = (key: string) => `\${${key}}`;

/** Transient Lambda service errors (AWS's recommended retrier for the Lambda integration). */
const LAMBDA_RETRY = {
  ErrorEquals: [
    'Lambda.ClientExecutionTimeoutException',
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.TooManyRequestsException',
  ],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
} as const;

/**
 * The task's function itself timed out or crashed (out of memory): Lambda reports Lambda.Unknown, or
 * Sandbox.Timedout on current runtimes. Every task here is idempotent (command ids, the alert ledger, a token
 * stored again), so it is tried again; a failed execution would leave its open turn to the reconciler (which
 * completes a performance mid-song) and an ended one with nobody to call the next singer.
 */
const LAMBDA_CRASH_RETRY = {
  ErrorEquals: ['Lambda.Unknown', 'Sandbox.Timedout'],
  IntervalSeconds: 2,
  MaxAttempts: 2,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
} as const;

/** A store or bus hiccup inside a handler (typed errors from src/eventstore): worth a few more tries. */
const HANDLER_RETRY = {
  ErrorEquals: ['EventStoreUnavailableError', 'ConcurrencyError'],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
} as const;

const turnRef = { 'rotationId.$': '$.Payload.rotationId', 'turnId.$': '$.Payload.turnId' } as const;

/** A plain Lambda task: the handler's return value lands at resultPath. */
const invoke = (key: string, payload: Record<string, string>, resultPath: string, next: string) => ({
  Type: 'Task',
  Resource: LAMBDA_INVOKE,
  Parameters: { FunctionName: fn(key), Payload: payload },
  ResultSelector: { 'value.$': '$.Payload' },
  ResultPath: resultPath,
  Retry: [LAMBDA_RETRY, LAMBDA_CRASH_RETRY, HANDLER_RETRY],
  Next: next,
});

/**
 * A callback wait: AwaitTurn stores the task token and the API's start/complete/forfeit resumes it; the wait's
 * timeout comes from the execution input (repeated in the Payload so the local interpreter resolves it too).
 */
const awaitTurn = (
  waitingFor: 'stage' | 'end',
  timeoutField: 'noShowTimeoutSeconds' | 'completionTimeoutSeconds',
  resultPath: string,
  timeoutResultPath: string,
  onTimeout: string,
  next: string,
) => ({
  Type: 'Task',
  Resource: LAMBDA_CALLBACK,
  Parameters: {
    FunctionName: fn(ARN.awaitTurn),
    Payload: { 'taskToken.$': '$$.Task.Token', ...turnRef, waitingFor, [`${timeoutField}.$`]: `$.Payload.${timeoutField}` },
  },
  TimeoutSecondsPath: `$.Payload.${timeoutField}`,
  ResultPath: resultPath,
  Retry: [LAMBDA_RETRY, LAMBDA_CRASH_RETRY, HANDLER_RETRY],
  Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: timeoutResultPath, Next: onTimeout }],
  Next: next,
});

export const turnWorkflowDefinition = {
  Comment:
    'One karaoke turn: alert the called singer and the one alertAheadTurns away, wait for the stage (no-show forfeit ' +
    'after noShowTimeoutSeconds), wait for the performance to end, then call the next singer if autoAdvance.',
  StartAt: S.alertSingers,
  States: {
    [S.alertSingers]: {
      ...invoke(ARN.alertSingers, { ...turnRef, 'calledVersion.$': '$.Payload.calledVersion' }, '$.alerts', S.waitForStage),
      Retry: [
        LAMBDA_RETRY,
        LAMBDA_CRASH_RETRY,
        HANDLER_RETRY,
        { ErrorEquals: ['AlertDeliveryFailedError'], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 2 },
      ],
      // Alerts are best effort: a turn goes on even if a text could not be sent.
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.alertsError', Next: S.waitForStage }],
    },
    [S.waitForStage]: awaitTurn('stage', 'noShowTimeoutSeconds', '$.stage', '$.stageTimeout', S.forfeitNoShow, S.afterStage),
    [S.afterStage]: {
      Type: 'Choice',
      Choices: [{ Variable: '$.stage.outcome', StringEquals: 'started', Next: S.waitForTurnEnd }],
      Default: S.afterTurn,
    },
    [S.forfeitNoShow]: invoke(ARN.forfeitNoShow, turnRef, '$.forfeit', S.afterForfeit),
    [S.afterForfeit]: {
      Type: 'Choice',
      // The singer took the stage in the same instant the wait timed out: their performance goes on.
      Choices: [{ Variable: '$.forfeit.value.outcome', StringEquals: 'started', Next: S.waitForTurnEnd }],
      Default: S.afterTurn,
    },
    [S.waitForTurnEnd]: awaitTurn('end', 'completionTimeoutSeconds', '$.end', '$.endTimeout', S.completeOverdueTurn, S.afterTurn),
    [S.completeOverdueTurn]: invoke(ARN.completeOverdueTurn, turnRef, '$.overdue', S.afterTurn),
    [S.afterTurn]: {
      Type: 'Choice',
      Choices: [{ Variable: '$.Payload.autoAdvance', BooleanEquals: true, Next: S.callNextSinger }],
      Default: S.turnDone,
    },
    [S.callNextSinger]: invoke(ARN.callNextSinger, turnRef, '$.next', S.turnDone),
    [S.turnDone]: { Type: 'Succeed' },
  },
} as const;

/**
 * The ASL as the CDK app passes it to DefinitionBody.fromString (placeholders left for DefinitionSubstitutions),
 * with a whole-execution TimeoutSeconds when given (AWS only: see TURN_EXECUTION_TIMEOUT_SECONDS).
 */
export const turnWorkflowAsl = ({ executionTimeoutSeconds }: { executionTimeoutSeconds?: number } = {}): string =>
  JSON.stringify(executionTimeoutSeconds ? { ...turnWorkflowDefinition, TimeoutSeconds: executionTimeoutSeconds } : turnWorkflowDefinition, null, 2);
