/**
 * Bus target of TURN_CALLED_PATTERN: starts the turn's execution, named by the turn id, with the rotation's
 * settings as they were when the turn was called (the event does not carry them). The input is a function of
 * the log alone, so a repeated start sends the same name and input: Step Functions runs the turn once.
 */
import type { EventBridgeEnvelope } from '../../eventbus/busEvent';
import type { TurnWorkflowInput } from '../contract';
import { TurnNotFoundError } from '../errors';
import { executionNameFor } from '../ids';
import { COMPLETION_TIMEOUT_SECONDS } from '../names';
import type { StartResult, TurnWorkflowStarter } from '../ports';
import type { WorkflowDeps } from './deps';

export interface StartTurnResult {
  readonly executionName: string;
  readonly result: StartResult;
}

export const createStartTurnWorkflowHandler =
  ({ service, starter, completionTimeoutSeconds = COMPLETION_TIMEOUT_SECONDS }: Pick<WorkflowDeps, 'service'> & { starter: TurnWorkflowStarter; completionTimeoutSeconds?: number }) =>
  async (event: Pick<EventBridgeEnvelope, 'detail'>): Promise<StartTurnResult> => {
    const { rotationId, version } = event.detail;
    const { turnId, singerId } = event.detail.data as { turnId: string; singerId: string };
    const log = await service.read(rotationId, { toVersion: version });
    if (!log || log.state.currentTurn?.turnId !== turnId) throw new TurnNotFoundError(rotationId, turnId, `called at version ${version}`);
    const { noShowTimeoutSeconds, autoAdvance } = log.state.settings;
    const input: TurnWorkflowInput = {
      Payload: { rotationId, turnId, singerId, calledVersion: version, noShowTimeoutSeconds, completionTimeoutSeconds, autoAdvance },
    };
    const executionName = executionNameFor(turnId);
    return { executionName, result: await starter.start(executionName, input) };
  };
