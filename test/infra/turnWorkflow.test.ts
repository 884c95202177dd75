/**
 * The state machine CloudFormation deploys is the workflow the local runtime runs: the synthesized
 * DefinitionString (placeholders resolved to recognisable stand-ins) is executed by the local runtime's own
 * Step Functions runner (src/local/localStepFunctions.ts, on aws-local-stepfunctions), and each task reaches the
 * function its DefinitionSubstitutions entry names.
 */
import { createLocalStepFunctions, type LocalStepFunctions } from '../../src/local/localStepFunctions';
import type { TurnWorkflowInput } from '../../src/workflows/contract';
import { turnWorkflowDefinition } from '../../src/workflows/definition';
import { COMPLETION_TIMEOUT_SECONDS, TASK_FUNCTION_OF_STATE, TURN_EXECUTION_TIMEOUT_SECONDS, TURN_STATES, TURN_SUBSTITUTIONS } from '../../src/workflows/names';
import { FUNCTIONS } from '../../infra/functions';
import { logicalIdOf, referencedId, resourcesOf, synthEngine } from './support';

const { template } = synthEngine();
const [stateMachine] = Object.values(resourcesOf(template, 'AWS::StepFunctions::StateMachine'));
const definitionString = stateMachine!.Properties.DefinitionString as string;
const substitutions = stateMachine!.Properties.DefinitionSubstitutions as Record<string, unknown>;

/** What each `${Key}` resolves to in this test: a stand-in naming the function the template binds it to. */
const standInFor = (key: string) => `stand-in:${referencedId(substitutions[key])}`;
const synthesizedDefinition = JSON.parse(definitionString.replace(/\$\{([A-Za-z0-9]+)\}/g, (_, key: string) => standInFor(key)));

const turn = (overrides: Partial<TurnWorkflowInput['Payload']> = {}): TurnWorkflowInput => ({
  Payload: {
    rotationId: 'rotation-1',
    turnId: 'turn-1',
    singerId: 'singer-1',
    calledVersion: 3,
    noShowTimeoutSeconds: 1,
    completionTimeoutSeconds: 1,
    autoAdvance: true,
    ...overrides,
  },
});

interface Visit {
  readonly state: string;
  readonly functionName: string;
  readonly payload: Record<string, unknown>;
}

/** Runs one execution of the synthesized definition on the local runner; the stage wait answers as told. */
const runSynthesized = async (input: TurnWorkflowInput, stageOutcome: 'started' | 'no-show') => {
  const visits: Visit[] = [];
  let runner: LocalStepFunctions | undefined;
  const record = (state: string, input: { FunctionName: string; Payload: Record<string, unknown> }) =>
    visits.push({ state, functionName: input.FunctionName, payload: input.Payload });
  const task = (state: string, result: unknown) => async (input: any) => (record(state, input), { Payload: result });
  // A callback task resumes when its token is answered, as releaseTurnWait does with SendTaskSuccess in AWS.
  const callback = (state: string, outcome: string | null) => async (input: any) => {
    record(state, input);
    if (outcome) setImmediate(() => runner!.sendTaskSuccess(input.Payload.taskToken, { outcome }));
    return { Payload: { registered: true } };
  };

  runner = createLocalStepFunctions({
    definition: synthesizedDefinition,
    // Long enough that a callback answered at once always beats its timeout on a loaded machine.
    secondsToMs: (seconds) => seconds * 250,
    log: () => undefined,
    tasks: {
      [TURN_STATES.alertSingers]: task(TURN_STATES.alertSingers, { sent: 2 }),
      [TURN_STATES.waitForStage]: callback(TURN_STATES.waitForStage, stageOutcome === 'started' ? 'started' : null),
      [TURN_STATES.forfeitNoShow]: task(TURN_STATES.forfeitNoShow, { outcome: 'forfeited', version: 5 }),
      [TURN_STATES.waitForTurnEnd]: callback(TURN_STATES.waitForTurnEnd, 'completed'),
      [TURN_STATES.completeOverdueTurn]: task(TURN_STATES.completeOverdueTurn, { outcome: 'completed', version: 6 }),
      [TURN_STATES.callNextSinger]: task(TURN_STATES.callNextSinger, { outcome: 'called', version: 7, turnId: 'turn-2' }),
    },
  });
  try {
    expect(runner.startExecution(input.Payload.turnId, input)).toBe('started');
    const deadline = Date.now() + 10_000;
    while (runner.executions()[0]!.status === 'running' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    return { execution: runner.executions()[0]!, visits };
  } finally {
    await runner.stop();
  }
};

const functionOfState = (state: keyof typeof TASK_FUNCTION_OF_STATE) => {
  const spec = FUNCTIONS.find((f) => f.trigger.kind === 'turnWorkflowTask' && f.trigger.substitutionKey === TASK_FUNCTION_OF_STATE[state])!;
  return logicalIdOf(template, 'AWS::Lambda::Function', `Functions${spec.id}`);
};

describe('turn workflow: deployed definition = local definition', () => {
  it('deploys src/workflows/definition.ts unchanged but for a whole-execution timeout, every placeholder bound to a task function of the table', () => {
    expect(Object.keys(substitutions).sort()).toEqual(Object.values(TURN_SUBSTITUTIONS).sort());
    const placeholders = new Set([...definitionString.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]));
    expect([...placeholders].sort()).toEqual(Object.keys(substitutions).sort());
    const localWithStandIns = JSON.parse(JSON.stringify(turnWorkflowDefinition).replace(/\$\{([A-Za-z0-9]+)\}/g, (_, key: string) => standInFor(key)));
    // AWS adds TimeoutSeconds so a stuck turn times out (and its alarm fires); it outlasts any turn's own waits.
    expect(synthesizedDefinition).toEqual({ ...localWithStandIns, TimeoutSeconds: TURN_EXECUTION_TIMEOUT_SECONDS });
    expect(TURN_EXECUTION_TIMEOUT_SECONDS).toBeGreaterThan(3600 + COMPLETION_TIMEOUT_SECONDS);
    for (const state of Object.keys(TASK_FUNCTION_OF_STATE) as (keyof typeof TASK_FUNCTION_OF_STATE)[]) {
      expect(synthesizedDefinition.States[state].Parameters.FunctionName).toBe(`stand-in:${functionOfState(state)}`);
    }
  });

  it('logs every transition to its CloudWatch log group, without payloads', () => {
    const logGroup = logicalIdOf(template, 'AWS::Logs::LogGroup', 'TurnWorkflowLogs');
    expect(stateMachine!.Properties.StateMachineType).toBe('STANDARD');
    expect(stateMachine!.Properties.LoggingConfiguration).toEqual({
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroup, 'Arn'] } } }],
      IncludeExecutionData: false,
      Level: 'ALL',
    });
  });

  it('runs the synthesized definition locally: called, on stage, completed, next singer called — each task on its function', async () => {
    const { execution, visits } = await runSynthesized(turn(), 'started');
    expect(execution.status).toBe('succeeded');
    expect(visits.map((v) => v.state)).toEqual([
      TURN_STATES.alertSingers,
      TURN_STATES.waitForStage,
      TURN_STATES.waitForTurnEnd,
      TURN_STATES.callNextSinger,
    ]);
    for (const visit of visits) expect(visit.functionName).toBe(`stand-in:${functionOfState(visit.state as keyof typeof TASK_FUNCTION_OF_STATE)}`);
    expect(visits[0]!.payload).toEqual({ rotationId: 'rotation-1', turnId: 'turn-1', calledVersion: 3 });
    expect(visits[1]!.payload).toMatchObject({ rotationId: 'rotation-1', turnId: 'turn-1', waitingFor: 'stage' });
    expect(typeof visits[1]!.payload.taskToken).toBe('string');
  });

  it('runs the no-show path locally: the stage wait times out, the turn is forfeited, no next call without autoAdvance', async () => {
    const { execution, visits } = await runSynthesized(turn({ autoAdvance: false }), 'no-show');
    expect(execution.status).toBe('succeeded');
    expect(visits.map((v) => v.state)).toEqual([TURN_STATES.alertSingers, TURN_STATES.waitForStage, TURN_STATES.forfeitNoShow]);
    expect(visits[2]!.functionName).toBe(`stand-in:${functionOfState(TURN_STATES.forfeitNoShow)}`);
  });
});
