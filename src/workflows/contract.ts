/** The data the turn workflow carries and hands its tasks: one contract for the ASL, AWS and the local runtime. */

/** A turn's life as the log tells it: called, then started, or ended one of three ways. */
export type TurnProgress = 'called' | 'started' | 'completed' | 'forfeited' | 'skipped';
export const TURN_ENDINGS: ReadonlySet<TurnProgress> = new Set(['completed', 'forfeited', 'skipped']);

/** What the workflow knows about its turn, fixed when the execution starts. */
export interface TurnWorkflowTurn {
  readonly rotationId: string;
  readonly turnId: string;
  readonly singerId: string;
  /** Version of the commit that called the turn: alerts are decided on the rotation as it was then. */
  readonly calledVersion: number;
  /** The rotation's setting; the stage wait's TimeoutSecondsPath reads it. */
  readonly noShowTimeoutSeconds: number;
  /** The performance wait's TimeoutSecondsPath reads it. */
  readonly completionTimeoutSeconds: number;
  readonly autoAdvance: boolean;
}

/**
 * The execution input. The turn sits under `Payload` on purpose: `TimeoutSecondsPath: $.Payload.…` then
 * resolves both against the state input (as Step Functions does) and against the Lambda invoke integration's
 * effective input `{FunctionName, Payload}` (as aws-local-stepfunctions 3.0.0 does), since the wait states pass
 * the timeout on in their own Payload too.
 */
export interface TurnWorkflowInput {
  readonly Payload: TurnWorkflowTurn;
}

export interface TurnRef {
  readonly rotationId: string;
  readonly turnId: string;
}

export type WaitingFor = 'stage' | 'end';

/** Payload of the callback tasks (…invoke.waitForTaskToken): remember the token until the turn moves on. */
export interface AwaitTurnRequest extends TurnRef {
  readonly taskToken: string;
  readonly waitingFor: WaitingFor;
  /** Present on the stage wait (its TimeoutSecondsPath). */
  readonly noShowTimeoutSeconds?: number;
  /** Present on the performance wait (its TimeoutSecondsPath). */
  readonly completionTimeoutSeconds?: number;
}

/** What SendTaskSuccess hands a waiting task: how the turn moved on. */
export interface WaitOutcome {
  readonly outcome: Exclude<TurnProgress, 'called'>;
}

export interface AlertSingersRequest extends TurnRef {
  readonly calledVersion: number;
}

/** Result of the command tasks: accepted, or the domain's rejection code taken as a normal outcome. */
export interface TurnCommandResult {
  /** For ForfeitNoShow: `started` when the singer made it on stage just in time. */
  readonly outcome: string;
  readonly rejection?: string;
  readonly version: number;
  /** CallNextSinger: the turn it called. */
  readonly turnId?: string;
}
