/**
 * The turn workflow on one machine, wired as in AWS but in-process:
 *
 *   stream feed ─▶ stream publisher (same handler as the Lambda) ─▶ local bus ─▶ rules (TURN_WORKFLOW_RULES,
 *   the same patterns as the EventBridge rules) ─▶ the same target handlers ─▶ the same ASL on
 *   aws-local-stepfunctions, whose tasks run the same task handlers (Lambda invoke shape: `{Payload}` in and out)
 *
 * Only the adapters differ: StartExecution and SendTaskSuccess go to the local interpreter, alerts to the
 * outbox, task tokens to TASK_TOKENS_TABLE on dynalite.
 *
 * Time: `secondsToMs` turns the workflow's task timeouts (noShowTimeoutSeconds, the performance timeout) into
 * milliseconds here; the default is real time. Tests shrink it (e.g. `s => s * 10`: a 10 s no-show timeout
 * takes 100 ms) while the ASL still says TimeoutSecondsPath.
 */
import './polyfills';
import type { RotationService } from '../eventstore/rotationService';
import { createLocalBus, type BusTarget, type LocalBus } from '../eventbus/localBus';
import { createStreamPublisher } from '../eventbus/streamPublisher';
import type { OpenTurnIndex } from '../projections/openTurnIndex';
import type { TableNames } from '../eventstore/tables';
import type { AnyDynamoClient } from '../eventstore/dynamo';
import type { TurnAlertNotifier } from '../notifiers/port';
import { createDynamoTaskTokenStore } from '../workflows/adapters/dynamoTaskTokens';
import { turnWorkflowDefinition } from '../workflows/definition';
import { createAdvanceIdleRotationHandler } from '../workflows/handlers/advanceIdleRotation';
import { createAlertSingersHandler } from '../workflows/handlers/alertSingers';
import { createAwaitTurnHandler } from '../workflows/handlers/awaitTurn';
import type { WorkflowDeps } from '../workflows/handlers/deps';
import { createReleaseTurnWaitHandler } from '../workflows/handlers/releaseTurnWait';
import { openTurns, turnCalledDetail } from '../workflows/handlers/openTurns';
import { createStartTurnWorkflowHandler } from '../workflows/handlers/startTurnWorkflow';
import {
  createCallNextSingerHandler,
  createCompleteOverdueTurnHandler,
  createForfeitNoShowHandler,
} from '../workflows/handlers/turnCommands';
import { COMPLETION_TIMEOUT_SECONDS, TURN_STATES } from '../workflows/names';
import type { TaskCallbacks, TurnWorkflowStarter } from '../workflows/ports';
import { TURN_WORKFLOW_RULES, type TurnRuleTarget } from '../workflows/rules';
import { createLocalStepFunctions, type LocalStepFunctions } from './localStepFunctions';
import type { LocalStreamFeed } from './streamFeed';

export interface TurnRuntimeOptions {
  readonly feed: LocalStreamFeed;
  readonly service: RotationService;
  /** The engine's outbox notifier. */
  readonly notifier: TurnAlertNotifier;
  readonly client: AnyDynamoClient;
  readonly tableNames: Pick<TableNames, 'taskTokens'>;
  readonly now?: () => string;
  /** Task timeout seconds → ms on this machine (default real time, `s * 1000`); see the file comment. */
  readonly secondsToMs?: (seconds: number) => number;
  /** The performance wait's timeout put in each execution's input (default COMPLETION_TIMEOUT_SECONDS). */
  readonly completionTimeoutSeconds?: number;
  readonly log?: (line: string) => void;
}

export interface TurnRuntime {
  readonly bus: LocalBus;
  readonly stepFunctions: LocalStepFunctions;
  /** Starts the workflow of every turn left open by a previous run (their waits did not survive it). */
  resumeOpenTurns(index: OpenTurnIndex): Promise<number>;
  /** Waits until the stream feed and the bus have delivered everything (executions keep running). */
  drain(): Promise<void>;
  /** Stops every execution and waits for handlers in flight; the bus and feed are drained. */
  stop(): Promise<void>;
}

/** The Lambda invoke integration's shape: the function gets `Payload`, its result comes back as `Payload`. */
const lambdaInvoke = (handler: (payload: any) => Promise<unknown>) => async (input: { Payload: unknown }) => ({
  Payload: await handler(input.Payload),
});

export const startTurnRuntime = ({
  feed,
  service,
  notifier,
  client,
  tableNames,
  now = () => new Date().toISOString(),
  secondsToMs,
  completionTimeoutSeconds = COMPLETION_TIMEOUT_SECONDS,
  log = (line) => console.error(line),
}: TurnRuntimeOptions): TurnRuntime => {
  const deps: WorkflowDeps = { service, now };
  const tokens = createDynamoTaskTokenStore({ client, tableName: tableNames.taskTokens });
  // The callbacks port needs the interpreter and the interpreter's tasks need the port: bound after both exist.
  let stepFunctions: LocalStepFunctions | undefined;
  const callbacks: TaskCallbacks = { succeed: async (token, output) => stepFunctions!.sendTaskSuccess(token, output) };
  const awaitTurn = lambdaInvoke(createAwaitTurnHandler({ ...deps, tokens, callbacks }));

  stepFunctions = createLocalStepFunctions({
    definition: turnWorkflowDefinition,
    secondsToMs,
    log,
    tasks: {
      [TURN_STATES.alertSingers]: lambdaInvoke(createAlertSingersHandler({ service, notifier })),
      [TURN_STATES.waitForStage]: awaitTurn,
      [TURN_STATES.forfeitNoShow]: lambdaInvoke(createForfeitNoShowHandler(deps)),
      [TURN_STATES.waitForTurnEnd]: awaitTurn,
      [TURN_STATES.completeOverdueTurn]: lambdaInvoke(createCompleteOverdueTurnHandler(deps)),
      [TURN_STATES.callNextSinger]: lambdaInvoke(createCallNextSingerHandler(deps)),
    },
  });
  const sfn = stepFunctions;
  const starter: TurnWorkflowStarter = { start: async (name, input) => sfn.startExecution(name, input) };
  const startTurn = createStartTurnWorkflowHandler({ service, starter, completionTimeoutSeconds });

  let stopping = false;
  const targets: Record<TurnRuleTarget, (event: Parameters<BusTarget>[0]) => Promise<unknown>> = {
    startTurnWorkflow: startTurn,
    releaseTurnWait: createReleaseTurnWaitHandler({ tokens, callbacks }),
    advanceIdleRotation: createAdvanceIdleRotationHandler(deps),
  };
  const bus = createLocalBus();
  for (const rule of TURN_WORKFLOW_RULES) {
    const target = targets[rule.target];
    bus.addRule({
      name: rule.name,
      pattern: rule.pattern,
      // A stopping runtime takes no new work; like AWS, the turn's state stays in the log for the next start.
      target: async (event) => void (stopping ? undefined : await target(event)),
    });
  }

  // Published counts tell drain() when feed → bus → targets → feed has come to rest.
  let published = 0;
  const publisher = createStreamPublisher({
    publisher: { publish: async (commits) => void (await bus.publish(commits), (published += commits.length)) },
    log,
  });
  feed.subscribe({ name: 'event-publisher', consumer: publisher, awaited: false });

  const drain = async () => {
    for (let before = -1; before !== published; ) {
      before = published;
      await feed.drain();
      await bus.drain();
    }
  };

  return {
    bus,
    stepFunctions: sfn,
    resumeOpenTurns: async (index) => {
      let resumed = 0;
      for await (const open of openTurns(service, index)) {
        const { result } = await startTurn(turnCalledDetail(open) as never);
        if (result === 'started') resumed += 1;
      }
      return resumed;
    },
    drain,
    stop: async () => {
      stopping = true;
      await sfn.stop();
      await drain();
    },
  };
};
