/**
 * The turn ASL itself: its names and paths, run through aws-local-stepfunctions (the interpreter alone, and
 * with the local runtime's callback tasks), so what the CDK app deploys is what runs on one machine.
 */
import { StateMachine } from 'aws-local-stepfunctions';
import { createLocalStepFunctions } from '../../src/local/localStepFunctions';
import type { TurnWorkflowInput } from '../../src/workflows/contract';
import { turnWorkflowAsl, turnWorkflowDefinition } from '../../src/workflows/definition';
import { TASK_FUNCTION_OF_STATE, TURN_STATES, TURN_SUBSTITUTIONS } from '../../src/workflows/names';
import { eventually } from './support';

const states = turnWorkflowDefinition.States as unknown as Record<string, Record<string, any>>;
const S = TURN_STATES;

const input = (overrides: Partial<TurnWorkflowInput['Payload']> = {}): TurnWorkflowInput => ({
  Payload: {
    rotationId: 'r1',
    turnId: 't1',
    singerId: 'amy',
    calledVersion: 4,
    noShowTimeoutSeconds: 10,
    completionTimeoutSeconds: 3600,
    autoAdvance: true,
    ...overrides,
  },
});

/** A `$.a.b` path on a value. */
const at = (path: string, value: unknown): unknown =>
  path.split('.').slice(1).reduce<any>((node, key) => (node == null ? undefined : node[key]), value);

describe('turn workflow definition', () => {
  it('names every state once, and every transition goes to a state that exists', () => {
    expect(Object.keys(states).sort()).toEqual(Object.values(TURN_STATES).sort());
    expect(turnWorkflowDefinition.StartAt).toBe(S.alertSingers);
    const targets = Object.values(states).flatMap((s) => [
      s.Next,
      s.Default,
      ...(s.Choices ?? []).map((c: { Next: string }) => c.Next),
      ...(s.Catch ?? []).map((c: { Next: string }) => c.Next),
    ]);
    for (const target of targets.filter(Boolean)) expect(Object.values(TURN_STATES)).toContain(target);
    // Reachable from StartAt: no state is dead.
    const reached = new Set<string>();
    const visit = (name: string) => {
      if (reached.has(name)) return;
      reached.add(name);
      const s = states[name]!;
      for (const next of [s.Next, s.Default, ...(s.Choices ?? []).map((c: any) => c.Next), ...(s.Catch ?? []).map((c: any) => c.Next)]) if (next) visit(next);
    };
    visit(turnWorkflowDefinition.StartAt);
    expect([...reached].sort()).toEqual(Object.values(TURN_STATES).sort());
  });

  it('each Task invokes its function through a DefinitionSubstitutions placeholder; the substitutions are exactly the exported keys', () => {
    const tasks = Object.entries(states).filter(([, s]) => s.Type === 'Task');
    expect(Object.fromEntries(tasks.map(([name, s]) => [name, s.Parameters.FunctionName]))).toEqual(
      Object.fromEntries(Object.entries(TASK_FUNCTION_OF_STATE).map(([name, key]) => [name, `\${${key}}`])),
    );
    const placeholders = new Set([...turnWorkflowAsl().matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect([...placeholders].sort()).toEqual(Object.values(TURN_SUBSTITUTIONS).sort());
    // JSONPath only: no JSONata anywhere (aws-local-stepfunctions would silently ignore it).
    expect(turnWorkflowAsl()).not.toMatch(/QueryLanguage|\{%/);
  });

  it('the callback waits pass the task token, and their TimeoutSecondsPath resolves on the state input and on the effective input alike', () => {
    for (const name of [S.waitForStage, S.waitForTurnEnd]) {
      const state = states[name]!;
      expect(state.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      expect(state.Parameters.Payload['taskToken.$']).toBe('$$.Task.Token');
      expect(state.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.Timeout'] })]);
      // The effective input, as Parameters makes it from the execution input.
      const effective = {
        FunctionName: state.Parameters.FunctionName,
        Payload: Object.fromEntries(
          Object.entries(state.Parameters.Payload as Record<string, string>).map(([k, v]) =>
            k.endsWith('.$') ? [k.slice(0, -2), v.startsWith('$$') ? 'token' : at(v, input())] : [k, v],
          ),
        ),
      };
      const expected = name === S.waitForStage ? 10 : 3600;
      expect(at(state.TimeoutSecondsPath, input())).toBe(expected); // Step Functions: the state input
      expect(at(state.TimeoutSecondsPath, effective)).toBe(expected); // aws-local-stepfunctions 3.0.0
    }
  });

  it('the interpreter itself enforces TimeoutSecondsPath: a no-show is forfeited and the next singer called', async () => {
    const machine = new StateMachine(turnWorkflowDefinition as never);
    const calls: [string, unknown][] = [];
    const handler = (name: string, result: unknown) => async (taskInput: unknown) => {
      calls.push([name, taskInput]);
      return result as never;
    };
    const execution = machine.run(input({ noShowTimeoutSeconds: 1 }) as never, {
      context: { Task: { Token: 'token-1' } },
      overrides: {
        taskResourceLocalHandlers: {
          [S.alertSingers]: handler(S.alertSingers, { Payload: { alerts: [] } }),
          [S.waitForStage]: async (taskInput) => {
            calls.push([S.waitForStage, taskInput]);
            return new Promise(() => {}); // nobody takes the stage
          },
          [S.forfeitNoShow]: handler(S.forfeitNoShow, { Payload: { outcome: 'forfeited', version: 5 } }),
          [S.waitForTurnEnd]: handler(S.waitForTurnEnd, {}),
          [S.completeOverdueTurn]: handler(S.completeOverdueTurn, { Payload: {} }),
          [S.callNextSinger]: handler(S.callNextSinger, { Payload: { outcome: 'called', version: 6 } }),
        },
      },
    });
    const visited: string[] = [];
    const collect = (async () => {
      for await (const event of execution.eventLogs) if (event.type === 'StateEntered') visited.push(event.state.name);
    })();
    const started = Date.now();
    const output = await execution.result;
    await collect;
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(visited).toEqual([S.alertSingers, S.waitForStage, S.forfeitNoShow, S.afterForfeit, S.afterTurn, S.callNextSinger, S.turnDone]);
    // Each Lambda gets exactly its Payload; the wait gets the token.
    expect(calls).toEqual([
      [S.alertSingers, { FunctionName: '${AlertSingersFunctionArn}', Payload: { rotationId: 'r1', turnId: 't1', calledVersion: 4 } }],
      [S.waitForStage, { FunctionName: '${AwaitTurnFunctionArn}', Payload: { taskToken: 'token-1', rotationId: 'r1', turnId: 't1', waitingFor: 'stage', noShowTimeoutSeconds: 1 } }],
      [S.forfeitNoShow, { FunctionName: '${ForfeitNoShowFunctionArn}', Payload: { rotationId: 'r1', turnId: 't1' } }],
      [S.callNextSinger, { FunctionName: '${CallNextSingerFunctionArn}', Payload: { rotationId: 'r1', turnId: 't1' } }],
    ]);
    expect(output).toMatchObject({
      stageTimeout: { Error: 'States.Timeout' },
      forfeit: { value: { outcome: 'forfeited' } },
      next: { value: { outcome: 'called' } },
    });
  });
});

describe('local Step Functions runtime on the turn ASL', () => {
  /** Stub tasks that record what ran; callback tasks hand their token to `tokens`. */
  const stubs = (results: Partial<Record<string, unknown>> = {}) => {
    const ran: string[] = [];
    const tokens: { state: string; token: string }[] = [];
    const plain = (state: string, fallback: unknown) => async () => {
      ran.push(state);
      return { Payload: results[state] ?? fallback };
    };
    const callback = (state: string) => async (taskInput: { Payload: { taskToken: string } }) => {
      ran.push(state);
      tokens.push({ state, token: taskInput.Payload.taskToken });
    };
    return {
      ran,
      tokens,
      tasks: {
        [S.alertSingers]: plain(S.alertSingers, { alerts: [] }),
        [S.waitForStage]: callback(S.waitForStage),
        [S.forfeitNoShow]: plain(S.forfeitNoShow, { outcome: 'forfeited' }),
        [S.waitForTurnEnd]: callback(S.waitForTurnEnd),
        [S.completeOverdueTurn]: plain(S.completeOverdueTurn, { outcome: 'completed' }),
        [S.callNextSinger]: plain(S.callNextSinger, { outcome: 'called' }),
      },
    };
  };

  it('refuses a definition with a Task that has no local handler', () => {
    const { tasks } = stubs();
    const { [S.callNextSinger]: _dropped, ...rest } = tasks;
    expect(() => createLocalStepFunctions({ definition: turnWorkflowDefinition, tasks: rest })).toThrow(/no local handler for Task state\(s\) CallNextSinger/);
  });

  it('resumes the waits by token: started, then completed; one execution per name; each wait gets its own token', async () => {
    const stub = stubs();
    const sfn = createLocalStepFunctions({ definition: turnWorkflowDefinition, tasks: stub.tasks });
    try {
      expect(sfn.startExecution('t1', input())).toBe('started');
      expect(sfn.startExecution('t1', input())).toBe('already-started');
      const stage = await eventually(async () => stub.tokens.find((t) => t.state === S.waitForStage)!.token);
      expect(sfn.sendTaskSuccess(stage, { outcome: 'started' })).toBe('delivered');
      expect(sfn.sendTaskSuccess(stage, { outcome: 'started' })).toBe('gone');
      const end = await eventually(async () => stub.tokens.find((t) => t.state === S.waitForTurnEnd)!.token);
      expect(end).not.toBe(stage);
      sfn.sendTaskSuccess(end, { outcome: 'completed' });
      const done = await eventually(async () => {
        const [execution] = sfn.executions();
        expect(execution!.status).toBe('succeeded');
        return execution!;
      });
      expect(stub.ran).toEqual([S.alertSingers, S.waitForStage, S.waitForTurnEnd, S.callNextSinger]);
      expect(done.output).toMatchObject({ stage: { outcome: 'started' }, end: { outcome: 'completed' }, next: { value: { outcome: 'called' } } });
      expect(sfn.executions()).toHaveLength(1);
    } finally {
      await sfn.stop();
    }
  });

  it('scales timeouts with secondsToMs: a no-show whose forfeit finds the singer started goes on to the performance, which times out into a completion', async () => {
    const stub = stubs({ [S.forfeitNoShow]: { outcome: 'started', rejection: 'turn-already-started' } });
    const sfn = createLocalStepFunctions({ definition: turnWorkflowDefinition, tasks: stub.tasks, secondsToMs: (s) => s * 2 });
    try {
      const started = Date.now();
      sfn.startExecution('t2', input({ noShowTimeoutSeconds: 10, completionTimeoutSeconds: 20, autoAdvance: false }));
      const done = await eventually(async () => {
        const [execution] = sfn.executions();
        expect(execution!.status).toBe('succeeded');
        return execution!;
      });
      expect(Date.now() - started).toBeLessThan(1000); // 20 ms + 40 ms, not 10 s + 20 s
      expect(stub.ran).toEqual([S.alertSingers, S.waitForStage, S.forfeitNoShow, S.waitForTurnEnd, S.completeOverdueTurn]);
      expect(done.output).toMatchObject({ stageTimeout: { Error: 'States.Timeout' }, endTimeout: { Error: 'States.Timeout' }, overdue: { value: { outcome: 'completed' } } });
      expect(done.output).not.toHaveProperty('next'); // autoAdvance false
    } finally {
      await sfn.stop();
    }
  });

  it('a task whose Lambda timed out or crashed (Lambda.Unknown, Sandbox.Timedout) is tried again: a failed execution would leave the turn to the reconciler (a performance completed mid-song) or the rotation idle', async () => {
    const stub = stubs();
    const failed: string[] = [];
    // Each of these fails its first run the way Lambda reports a function timeout or an out-of-memory exit.
    const failOnce = (state: string, name: string) => {
      const task = (stub.tasks as Record<string, (taskInput: any) => Promise<unknown>>)[state]!;
      return async (taskInput: any) => {
        if (!failed.includes(state)) {
          failed.push(state);
          throw Object.assign(new Error(`${state}: Task timed out after 10.00 seconds`), { name });
        }
        return task(taskInput);
      };
    };
    const sfn = createLocalStepFunctions({
      definition: turnWorkflowDefinition,
      tasks: { ...stub.tasks, [S.waitForTurnEnd]: failOnce(S.waitForTurnEnd, 'Lambda.Unknown'), [S.callNextSinger]: failOnce(S.callNextSinger, 'Sandbox.Timedout') },
    });
    try {
      sfn.startExecution('t-crash', input({ turnId: 't-crash' }));
      sfn.sendTaskSuccess(await eventually(async () => stub.tokens.find((t) => t.state === S.waitForStage)!.token), { outcome: 'started' });
      sfn.sendTaskSuccess(await eventually(async () => stub.tokens.find((t) => t.state === S.waitForTurnEnd)!.token, { timeoutMs: 20_000 }), { outcome: 'completed' });
      const done = await eventually(async () => {
        const [execution] = sfn.executions();
        expect(execution!.status).not.toBe('running');
        return execution!;
      }, { timeoutMs: 20_000 });
      expect(failed).toEqual([S.waitForTurnEnd, S.callNextSinger]);
      expect(done).toMatchObject({ status: 'succeeded', output: { next: { value: { outcome: 'called' } } } });
    } finally {
      await sfn.stop();
    }
  });

  it('stop() aborts waiting executions, waits for a task in flight, and refuses new work', async () => {
    let finishAlerts!: () => void;
    let alertsDone = false;
    const stub = stubs();
    const sfn = createLocalStepFunctions({
      definition: turnWorkflowDefinition,
      tasks: {
        ...stub.tasks,
        [S.alertSingers]: async (taskInput: { Payload: { turnId: string } }) => {
          if (taskInput.Payload.turnId === 'slow') {
            await new Promise<void>((resolve) => (finishAlerts = resolve));
            alertsDone = true;
          }
          return { Payload: { alerts: [] } };
        },
      },
    });
    sfn.startExecution('waiting', input({ turnId: 'waiting' }));
    sfn.startExecution('slow', input({ turnId: 'slow' }));
    await eventually(async () => expect(sfn.waitingTokens()).toHaveLength(1));
    const stopping = sfn.stop();
    setTimeout(() => finishAlerts(), 30);
    await stopping;
    expect(alertsDone).toBe(true);
    expect(sfn.waitingTokens()).toEqual([]);
    expect(sfn.executions().map((e) => [e.name, e.status])).toEqual([
      ['waiting', 'aborted'],
      ['slow', 'aborted'],
    ]);
    expect(stub.ran.filter((s) => s === S.waitForStage)).toHaveLength(1); // the slow one never reached its wait
    expect(() => sfn.startExecution('late', input())).toThrow(expect.objectContaining({ code: 'local-step-functions-stopped' }));
  });
});
