/**
 * Lambda entry, target of the `start-turn-workflow` EventBridge rule (TURN_CALLED_PATTERN): StartExecution
 * named by the turn id. A Lambda rather than EventBridge's direct Step Functions target because the execution
 * input needs the rotation's settings (noShowTimeoutSeconds, autoAdvance), which the TurnCalled event does not
 * carry, and because a repeated start (ExecutionAlreadyExists) must count as done, not as a failed delivery.
 */
import type { EventBridgeEnvelope } from '../../eventbus/localBus';
import { createStartTurnWorkflowHandler } from '../handlers/startTurnWorkflow';
import { turnStarter, workflowDeps } from './awsDeps';

export const handler = (event: EventBridgeEnvelope) =>
  createStartTurnWorkflowHandler({ service: workflowDeps().service, starter: turnStarter() })(event);
