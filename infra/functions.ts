/**
 * Every Lambda of the engine, one row each: where its handler lives, what triggers it, and the only tables,
 * topic, bus or state machine it may touch. The stack builds, wires and permits functions from this table
 * alone; bench/bundle.ts bundles the same entries. Entry paths and rules come from the modules that own them
 * (src/workflows/lambda/index.ts, src/workflows/rules.ts) wherever those export them.
 */
import { OPEN_TURNS_INDEX } from '../src/eventstore/tables';
import { TURN_SUBSTITUTIONS } from '../src/workflows/names';
import { RECONCILER_ENTRY, RULE_TARGET_ENTRIES, STREAM_PUBLISHER_ENTRY, TASK_FUNCTION_ENTRIES } from '../src/workflows/lambda';
import { TURN_WORKFLOW_RULES, type TurnRuleTarget } from '../src/workflows/rules';
import type { BusRuleSpec, FunctionSpec } from './functionSpec';

/** 'release-turn-wait-on-start' → 'ReleaseTurnWaitOnStartRule'. */
export const ruleConstructId = (name: string): string =>
  `${name.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase())}Rule`;

/** The workflow's rules that target one handler (src/workflows/rules.ts; the local bus adds the same ones). */
const rulesTargeting = (target: TurnRuleTarget): BusRuleSpec[] =>
  TURN_WORKFLOW_RULES.filter((rule) => rule.target === target).map((rule) => ({
    id: ruleConstructId(rule.name),
    description: rule.description,
    pattern: rule.pattern,
  }));

export const FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'Api',
    entry: 'src/api/lambda.ts',
    handler: 'handler',
    description: 'HTTP API: commands (append to the log) and queries (read models)',
    trigger: { kind: 'httpApi' },
    // The songbook: an import writes its chunks in batches.
    tables: { events: 'append', idempotency: 'readWrite', contacts: 'readWrite', queueView: 'read', singerHistory: 'read', joinCodes: 'readWrite', songbook: 'readWriteBatch' },
    writesAnchors: true,
    memoryMb: 1024,
    timeoutSeconds: 29, // API Gateway's integration timeout
  },
  {
    id: 'Projector',
    entry: 'src/projections/lambda.ts',
    handler: 'handler',
    description: 'Events stream → read models (queue view, singer history, popular songs) → live views (AppSync Events)',
    trigger: { kind: 'eventsStream', batchSize: 100 },
    // Reads the log to fill a gap (a commit it has not seen); writes only its read models and checkpoints. A big
    // night's queue view state goes to part items in one batch (src/projections/queueViewProjection.ts).
    tables: { events: 'read', queueView: 'readWriteBatch', singerHistory: 'readWriteBatch', projectionCheckpoints: 'readWrite', songbook: 'readWrite' },
    publishesLiveViews: true,
    timeoutSeconds: 60,
  },
  {
    id: 'StreamPublisher',
    ...STREAM_PUBLISHER_ENTRY,
    description: 'Events stream → EventBridge bus, in commit order',
    trigger: { kind: 'eventsStream', batchSize: 50 },
    putsBusEvents: true,
    timeoutSeconds: 60,
  },
  {
    id: 'StartTurnWorkflow',
    ...RULE_TARGET_ENTRIES.startTurnWorkflow,
    description: 'TurnCalled → start the turn workflow, one execution named by the turn id',
    trigger: { kind: 'busRules', rules: rulesTargeting('startTurnWorkflow') },
    tables: { events: 'read' },
    turnWorkflow: 'startExecution',
  },
  {
    id: 'ReleaseTurnWait',
    ...RULE_TARGET_ENTRIES.releaseTurnWait,
    description: 'TurnStarted / turn ended → answer the task token the turn workflow waits on',
    trigger: { kind: 'busRules', rules: rulesTargeting('releaseTurnWait') },
    tables: { taskTokens: 'readWrite' },
    turnWorkflow: 'sendTaskResult',
  },
  {
    id: 'AdvanceIdleRotation',
    ...RULE_TARGET_ENTRIES.advanceIdleRotation,
    description: 'A singer became eligible on an idle autoAdvance rotation → call the next turn',
    trigger: { kind: 'busRules', rules: rulesTargeting('advanceIdleRotation') },
    tables: { events: 'append' },
  },
  {
    id: 'ReconcileOpenTurns',
    ...RECONCILER_ENTRY,
    description: 'Every few minutes: each open turn has a running execution, or is started or ended as the workflow would',
    trigger: { kind: 'schedule', everyMinutes: 5, description: 'Open turns without a running turn workflow execution' },
    // Lists the rotations with a turn open (a Scan of the queue view's sparse open-turns index), reads each
    // one's log and, for a turn whose execution ended, appends its end.
    tables: { events: 'append', queueView: 'read' },
    scansIndex: { queueView: OPEN_TURNS_INDEX.indexName },
    turnWorkflow: 'reconcile',
    timeoutSeconds: 120,
  },
  {
    id: 'AlertSingers',
    ...TASK_FUNCTION_ENTRIES[TURN_SUBSTITUTIONS.alertSingers],
    description: 'Workflow task: alert the called singer and the one coming up (SMS / email), at most once',
    trigger: { kind: 'turnWorkflowTask', substitutionKey: TURN_SUBSTITUTIONS.alertSingers },
    tables: { events: 'read', contacts: 'read', alerts: 'readWrite' },
    sendsAlerts: true,
    timeoutSeconds: 30,
  },
  {
    id: 'AwaitTurn',
    ...TASK_FUNCTION_ENTRIES[TURN_SUBSTITUTIONS.awaitTurn],
    description: 'Workflow task: keep the task token until the turn moves on (or answer it at once if it has)',
    trigger: { kind: 'turnWorkflowTask', substitutionKey: TURN_SUBSTITUTIONS.awaitTurn },
    tables: { events: 'read', taskTokens: 'readWrite' },
    turnWorkflow: 'sendTaskResult',
  },
  {
    id: 'ForfeitNoShow',
    ...TASK_FUNCTION_ENTRIES[TURN_SUBSTITUTIONS.forfeitNoShow],
    description: 'Workflow task: forfeit the turn of a singer who did not take the stage',
    trigger: { kind: 'turnWorkflowTask', substitutionKey: TURN_SUBSTITUTIONS.forfeitNoShow },
    tables: { events: 'append' },
  },
  {
    id: 'CompleteOverdueTurn',
    ...TASK_FUNCTION_ENTRIES[TURN_SUBSTITUTIONS.completeOverdueTurn],
    description: 'Workflow task: complete a performance the KJ forgot to end',
    trigger: { kind: 'turnWorkflowTask', substitutionKey: TURN_SUBSTITUTIONS.completeOverdueTurn },
    tables: { events: 'append' },
  },
  {
    id: 'CallNextSinger',
    ...TASK_FUNCTION_ENTRIES[TURN_SUBSTITUTIONS.callNextSinger],
    description: 'Workflow task: call the next singer after a turn (autoAdvance)',
    trigger: { kind: 'turnWorkflowTask', substitutionKey: TURN_SUBSTITUTIONS.callNextSinger },
    tables: { events: 'append' },
  },
  {
    id: 'SingerOnSignUp',
    entry: 'infra/cognito/singerOnSignUp.ts',
    handler: 'handler',
    description: 'Cognito post-confirmation: a self-signed-up user joins the singer group',
    trigger: { kind: 'cognitoPostConfirmation' },
    addsUsersToGroups: true,
    memoryMb: 256,
    timeoutSeconds: 5,
  },
];
