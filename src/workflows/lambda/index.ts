/**
 * Where each workflow Lambda's handler is, for the CDK app (NodejsFunction `entry` and `handler`): all are named
 * exports of handlers.ts. Task functions are keyed by their DefinitionSubstitutions key; bus targets by
 * TurnRuleTarget.
 */
import type { TurnRuleTarget } from '../rules';
import { TURN_SUBSTITUTIONS, type TurnSubstitutionKey } from '../names';
import type * as handlers from './handlers';

export interface LambdaEntry {
  /** Source file, relative to the repository root. */
  readonly entry: string;
  /** Name of the exported handler function. */
  readonly handler: string;
}

export const WORKFLOW_HANDLERS_ENTRY = 'src/workflows/lambda/handlers.ts';

const workflowHandler = (handler: keyof typeof handlers): LambdaEntry => ({ entry: WORKFLOW_HANDLERS_ENTRY, handler });

export const TASK_FUNCTION_ENTRIES: Readonly<Record<TurnSubstitutionKey, LambdaEntry>> = {
  [TURN_SUBSTITUTIONS.alertSingers]: workflowHandler('alertSingers'),
  [TURN_SUBSTITUTIONS.awaitTurn]: workflowHandler('awaitTurn'),
  [TURN_SUBSTITUTIONS.forfeitNoShow]: workflowHandler('forfeitNoShow'),
  [TURN_SUBSTITUTIONS.completeOverdueTurn]: workflowHandler('completeOverdueTurn'),
  [TURN_SUBSTITUTIONS.callNextSinger]: workflowHandler('callNextSinger'),
};

export const RULE_TARGET_ENTRIES: Readonly<Record<TurnRuleTarget, LambdaEntry>> = {
  startTurnWorkflow: workflowHandler('startTurnWorkflow'),
  releaseTurnWait: workflowHandler('releaseTurnWait'),
  advanceIdleRotation: workflowHandler('advanceIdleRotation'),
};

/** The stream consumer that publishes committed events (events table stream → EventBridge). */
export const STREAM_PUBLISHER_ENTRY: LambdaEntry = { entry: 'src/eventbus/lambda.ts', handler: 'handler' };

/** Scheduled: open turns without a running execution (handlers/reconcileOpenTurns.ts). */
export const RECONCILER_ENTRY: LambdaEntry = workflowHandler('reconcileOpenTurns');
