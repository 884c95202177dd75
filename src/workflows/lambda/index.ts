/**
 * Where each workflow Lambda's entry file is, for the CDK app (NodejsFunction `entry`, handler `handler`).
 * Task functions are keyed by their DefinitionSubstitutions key; bus targets by TurnRuleTarget.
 */
import type { TurnRuleTarget } from '../rules';
import { TURN_SUBSTITUTIONS, type TurnSubstitutionKey } from '../names';

export const TASK_FUNCTION_ENTRIES: Readonly<Record<TurnSubstitutionKey, string>> = {
  [TURN_SUBSTITUTIONS.alertSingers]: 'src/workflows/lambda/alertSingers.ts',
  [TURN_SUBSTITUTIONS.awaitTurn]: 'src/workflows/lambda/awaitTurn.ts',
  [TURN_SUBSTITUTIONS.forfeitNoShow]: 'src/workflows/lambda/forfeitNoShow.ts',
  [TURN_SUBSTITUTIONS.completeOverdueTurn]: 'src/workflows/lambda/completeOverdueTurn.ts',
  [TURN_SUBSTITUTIONS.callNextSinger]: 'src/workflows/lambda/callNextSinger.ts',
};

export const RULE_TARGET_ENTRIES: Readonly<Record<TurnRuleTarget, string>> = {
  startTurnWorkflow: 'src/workflows/lambda/startTurnWorkflow.ts',
  releaseTurnWait: 'src/workflows/lambda/releaseTurnWait.ts',
  advanceIdleRotation: 'src/workflows/lambda/advanceIdleRotation.ts',
};

/** The stream consumer that publishes committed events (events table stream → EventBridge). */
export const STREAM_PUBLISHER_ENTRY = 'src/eventbus/lambda.ts';

/** Scheduled: open turns without a running execution (handlers/reconcileOpenTurns.ts). */
export const RECONCILER_ENTRY = 'src/workflows/lambda/reconcileOpenTurns.ts';
