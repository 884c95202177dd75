/**
 * Names the CDK app and the local runtime share for the turn workflow: state names, DefinitionSubstitutions
 * keys, environment variables and the commands' actor. Defined once here (DESIGN.md "Rules of the house").
 */

/** Every state of the turn workflow (src/workflows/definition.ts). */
export const TURN_STATES = {
  alertSingers: 'AlertSingers',
  waitForStage: 'WaitForStage',
  afterStage: 'AfterStage',
  forfeitNoShow: 'ForfeitNoShow',
  afterForfeit: 'AfterForfeit',
  waitForTurnEnd: 'WaitForTurnEnd',
  completeOverdueTurn: 'CompleteOverdueTurn',
  afterTurn: 'AfterTurn',
  callNextSinger: 'CallNextSinger',
  turnDone: 'TurnDone',
} as const;

/**
 * DefinitionSubstitutions keys: the CDK app maps each to a Lambda function ARN. In the ASL they appear as
 * `${Key}` inside the Lambda invoke integration's FunctionName.
 */
export const TURN_SUBSTITUTIONS = {
  alertSingers: 'AlertSingersFunctionArn',
  awaitTurn: 'AwaitTurnFunctionArn',
  forfeitNoShow: 'ForfeitNoShowFunctionArn',
  completeOverdueTurn: 'CompleteOverdueTurnFunctionArn',
  callNextSinger: 'CallNextSingerFunctionArn',
} as const;
export type TurnSubstitutionKey = (typeof TURN_SUBSTITUTIONS)[keyof typeof TURN_SUBSTITUTIONS];

/** Which task state invokes which function (so infra can grant each only what it calls). */
export const TASK_FUNCTION_OF_STATE = {
  [TURN_STATES.alertSingers]: TURN_SUBSTITUTIONS.alertSingers,
  [TURN_STATES.waitForStage]: TURN_SUBSTITUTIONS.awaitTurn,
  [TURN_STATES.forfeitNoShow]: TURN_SUBSTITUTIONS.forfeitNoShow,
  [TURN_STATES.waitForTurnEnd]: TURN_SUBSTITUTIONS.awaitTurn,
  [TURN_STATES.completeOverdueTurn]: TURN_SUBSTITUTIONS.completeOverdueTurn,
  [TURN_STATES.callNextSinger]: TURN_SUBSTITUTIONS.callNextSinger,
} as const satisfies Record<string, TurnSubstitutionKey>;

export const DEFAULT_TURN_STATE_MACHINE_NAME = 'karaoke-turn';
/** CDK sets it on the Lambda that starts executions (StartExecution needs the state machine's ARN). */
export const TURN_STATE_MACHINE_ARN_ENV = 'TURN_STATE_MACHINE_ARN';

/** The identity the workflow's commands are recorded under (commands.ts: `system` may only drive turns). */
export const TURN_WORKFLOW_ACTOR = { id: 'turn-workflow', role: 'system' } as const;

/**
 * How long a performing turn may run before the workflow completes it by itself (the KJ forgot to press
 * "complete"). Generous: an hour.
 */
export const COMPLETION_TIMEOUT_SECONDS = 3600;

/**
 * The deployed state machine's own TimeoutSeconds: longer than any turn can take (the longest no-show wait,
 * 3600 s, plus the performance wait plus retries), so a turn execution still running after it is stuck, times
 * out, and raises the ExecutionsTimedOut alarm. Only the CDK app adds it; the local runtime's executions end
 * when the engine stops.
 */
export const TURN_EXECUTION_TIMEOUT_SECONDS = 3 * 3600;
