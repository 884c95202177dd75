/** The turn workflow's ports: AWS and the local runtime each plug in their adapters, never other logic. */
import type { TurnWorkflowInput, WaitOutcome, WaitingFor } from './contract';

/** A waiting callback task's token, by turn (TASK_TOKENS_TABLE). */
export interface TaskTokenRecord {
  readonly turnId: string;
  readonly rotationId: string;
  readonly taskToken: string;
  readonly waitingFor: WaitingFor;
  readonly registeredAt: string;
}

export interface TaskTokenStore {
  /** Replaces the turn's record: a turn waits on one task at a time. */
  put(record: TaskTokenRecord): Promise<void>;
  /** Strongly consistent: a token stored a moment ago is seen. */
  get(turnId: string): Promise<TaskTokenRecord | null>;
  /** Removes the record only if it still holds this token (a newer wait's record is kept). */
  delete(turnId: string, taskToken: string): Promise<void>;
}

/** 'gone': the task no longer waits (already resumed, timed out, or its execution ended): nothing to do. */
export type CallbackResult = 'delivered' | 'gone';

/** SendTaskSuccess in AWS; resolving the waiting task's promise on one machine. */
export interface TaskCallbacks {
  succeed(taskToken: string, output: WaitOutcome): Promise<CallbackResult>;
}

/** 'already-started': an execution of that name exists (a repeated start): the turn is not run twice. */
export type StartResult = 'started' | 'already-started';

/** StartExecution in AWS; the local interpreter on one machine. */
export interface TurnWorkflowStarter {
  start(executionName: string, input: TurnWorkflowInput): Promise<StartResult>;
}

/** How a turn's execution stands: none was ever started, it is still going, or it ended (any way). */
export type ExecutionStatus = 'missing' | 'running' | 'ended';

/** DescribeExecution in AWS (by the execution's name under the turn state machine). */
export interface TurnExecutions {
  status(executionName: string): Promise<ExecutionStatus>;
}
