/**
 * Step Functions on one machine: runs an ASL definition with aws-local-stepfunctions, adding what that
 * interpreter lacks.
 *
 * - Executions by name: a name already used is not run again (StartExecution's ExecutionAlreadyExists).
 * - Callback tasks (`….waitForTaskToken`): the interpreter has no task tokens. Each time such a task runs, a
 *   fresh token replaces `$$.Task.Token` in its input, the local handler gets that input (to store the token,
 *   as the Lambda does in AWS), and the task then waits until sendTaskSuccess(token) resolves it.
 * - Timeouts: the interpreter enforces a Task's TimeoutSeconds / TimeoutSecondsPath itself, in real seconds,
 *   evaluating the path on the task's effective input (after Parameters; Step Functions reads the state input).
 *   Callback tasks also get a timer of their own at `secondsToMs(timeout)`, failing with the same
 *   `States.Timeout`, so tests can shrink time while the ASL keeps its paths. `secondsToMs` can only shorten a
 *   wait: the interpreter's own timer still fires at the real timeout.
 * - stop(): aborts every execution, fails every waiting task, and waits for task handlers already running, so
 *   nothing touches the store afterwards and no timer is left behind.
 *
 * The StateMachine is built once (validation costs ~200 ms) and runs every execution.
 */
import './polyfills';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { createRingBuffer } from '../ringBuffer';

/** Gets the task's effective input (after InputPath and Parameters); returns what the Resource would return. */
export type LocalTaskHandler = (input: any) => Promise<unknown>;

export type LocalExecutionStatus = 'running' | 'succeeded' | 'failed' | 'aborted';

export interface LocalExecution {
  readonly name: string;
  readonly input: unknown;
  readonly status: LocalExecutionStatus;
  readonly output?: unknown;
  readonly error?: string;
}

export interface LocalStepFunctionsOptions {
  readonly definition: object;
  /** A handler for every Task state, by state name (checked when built). */
  readonly tasks: Readonly<Record<string, LocalTaskHandler>>;
  /** Task timeout seconds → milliseconds on this machine; default `s * 1000`. */
  readonly secondsToMs?: (seconds: number) => number;
  readonly log?: (line: string) => void;
  /**
   * Finished executions kept for executions() (default 1,000, oldest forgotten first); running ones are always
   * kept. A forgotten name could start again, which turn ids (fresh per call) never do.
   */
  readonly maxFinishedKept?: number;
}

export interface LocalStepFunctions {
  /** Returns once the execution is accepted (it runs in the background). */
  startExecution(name: string, input: unknown): 'started' | 'already-started';
  /** Resumes the callback task waiting on `token`; 'gone' if none waits on it (any more). */
  sendTaskSuccess(token: string, output: unknown): 'delivered' | 'gone';
  /** Every running execution and the newest finished ones, in start order. */
  executions(): readonly LocalExecution[];
  /** Tokens of callback tasks waiting now. */
  waitingTokens(): readonly string[];
  stop(): Promise<void>;
}

/** Thrown into waiting tasks and refused starts once the runtime stops. */
export class LocalStepFunctionsStoppedError extends Error {
  readonly code = 'local-step-functions-stopped' as const;

  constructor() {
    super('The local Step Functions runtime has stopped.');
    this.name = 'LocalStepFunctionsStoppedError';
  }
}

/** The interpreter's own default for a Task without TimeoutSeconds. */
const DEFAULT_TASK_TIMEOUT_SECONDS = 60;
const CALLBACK_SUFFIX = '.waitForTaskToken';
/** Stands in for `$$.Task.Token` until a task's own token replaces it. */
const TOKEN_PLACEHOLDER = 'local-task-token';

interface TaskStateDefinition {
  readonly Type: string;
  readonly Resource?: string;
  readonly TimeoutSeconds?: number;
  readonly TimeoutSecondsPath?: string;
}

const statesTimeout = (): Error => {
  const error = new Error('States.Timeout');
  error.name = 'States.Timeout';
  return error;
};

/** A `$.a.b` reference path on a JSON value (all our definitions use). */
const readPath = (path: string, value: unknown): unknown => {
  if (!/^\$(\.[A-Za-z0-9_]+)*$/.test(path)) throw new Error(`Local Step Functions: unsupported path ${path}`);
  return path
    .split('.')
    .slice(1)
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);
};

const timeoutSecondsOf = (state: TaskStateDefinition, input: unknown): number => {
  if (state.TimeoutSeconds) return state.TimeoutSeconds;
  if (state.TimeoutSecondsPath) {
    const seconds = readPath(state.TimeoutSecondsPath, input);
    if (typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 1) return seconds;
    throw new Error(`TimeoutSecondsPath ${state.TimeoutSecondsPath} is not a positive integer: ${JSON.stringify(seconds)}`);
  }
  return DEFAULT_TASK_TIMEOUT_SECONDS;
};

const withToken = (value: unknown, token: string): unknown => {
  if (value === TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((v) => withToken(v, token));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withToken(v, token)]));
  }
  return value;
};

interface Waiting {
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: Error) => void;
}

export const createLocalStepFunctions = ({
  definition,
  tasks,
  secondsToMs = (s) => s * 1000,
  log = (line) => console.error(line),
  maxFinishedKept = 1_000,
}: LocalStepFunctionsOptions): LocalStepFunctions => {
  const states = (definition as { States: Record<string, TaskStateDefinition> }).States;
  const taskStates = Object.entries(states).filter(([, s]) => s.Type === 'Task');
  const missing = taskStates.filter(([name]) => !tasks[name]).map(([name]) => name);
  if (missing.length > 0) throw new Error(`Local Step Functions: no local handler for Task state(s) ${missing.join(', ')}`);

  const machine = new StateMachine(definition as StateMachineDefinition);
  const executions = new Map<string, LocalExecution>();
  const finished = createRingBuffer<string>(maxFinishedKept, (name) => executions.delete(name));
  const aborts = new Map<string, () => void>();
  const waiting = new Map<string, Waiting>();
  const running = new Set<Promise<unknown>>();
  let tokens = 0;
  let stopped = false;

  /** Tracks a handler call so stop() can wait for it. */
  const track = <T>(promise: Promise<T>): Promise<T> => {
    running.add(promise);
    void promise.then(
      () => running.delete(promise),
      () => running.delete(promise),
    );
    return promise;
  };

  const plainTask = (handler: LocalTaskHandler) => async (input: unknown) => {
    if (stopped) throw new LocalStepFunctionsStoppedError();
    return (await track(handler(input))) as never;
  };

  const callbackTask = (executionName: string, stateName: string, state: TaskStateDefinition, handler: LocalTaskHandler) =>
    async (input: unknown) => {
      if (stopped) throw new LocalStepFunctionsStoppedError();
      const token = `local:${executionName}:${stateName}:${++tokens}`;
      let task!: Waiting;
      const promise = new Promise<unknown>((resolve, reject) => (task = { resolve, reject }));
      const { reject } = task;
      waiting.set(token, task);
      const timer = setTimeout(() => reject(statesTimeout()), secondsToMs(timeoutSecondsOf(state, input)));
      try {
        await track(handler(withToken(input, token)));
        return (await promise) as never;
      } finally {
        clearTimeout(timer);
        waiting.delete(token);
      }
    };

  const overridesFor = (executionName: string) =>
    Object.fromEntries(
      taskStates.map(([stateName, state]) => [
        stateName,
        state.Resource?.endsWith(CALLBACK_SUFFIX)
          ? callbackTask(executionName, stateName, state, tasks[stateName]!)
          : plainTask(tasks[stateName]!),
      ]),
    );

  return {
    startExecution: (name, input) => {
      if (stopped) throw new LocalStepFunctionsStoppedError();
      if (executions.has(name)) return 'already-started';
      executions.set(name, { name, input, status: 'running' });
      const execution = machine.run(input as never, {
        noThrowOnAbort: true,
        overrides: { taskResourceLocalHandlers: overridesFor(name) },
        context: { Execution: { Name: name, Id: `arn:aws:states:local:000000000000:execution:local:${name}` }, Task: { Token: TOKEN_PLACEHOLDER } },
      });
      aborts.set(name, execution.abort);
      const settle = (update: Partial<LocalExecution>) => {
        aborts.delete(name);
        executions.set(name, { ...executions.get(name)!, ...update });
        finished.push(name);
      };
      execution.result.then(
        (output) => settle(stopped && output === null ? { status: 'aborted' } : { status: 'succeeded', output }),
        (err: Error) => {
          const cause = (err as { cause?: Error }).cause;
          const error = `${cause?.name ?? err.name}: ${cause?.message ?? err.message}`;
          settle({ status: 'failed', error });
          log(`[turn-workflow] execution ${name} failed: ${error}`);
        },
      );
      return 'started';
    },

    sendTaskSuccess: (token, output) => {
      const task = waiting.get(token);
      if (!task) return 'gone';
      waiting.delete(token);
      task.resolve(output);
      return 'delivered';
    },

    executions: () => [...executions.values()],
    waitingTokens: () => [...waiting.keys()],

    stop: async () => {
      stopped = true;
      for (const abort of aborts.values()) abort();
      for (const task of waiting.values()) task.reject(new LocalStepFunctionsStoppedError());
      waiting.clear();
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
};
