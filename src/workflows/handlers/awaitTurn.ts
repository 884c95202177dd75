/**
 * Task WaitForStage / WaitForTurnEnd (…lambda:invoke.waitForTaskToken): stores the task token by turn, so the
 * TurnStarted / Turn-ended events can resume the execution (releaseTurnWait). If the turn already moved on
 * before the token was stored (the KJ was quicker than the workflow), it resumes the task itself: the store
 * write comes first and the log read second, so one of the two always sees the other.
 */
import { TURN_ENDINGS, type AwaitTurnRequest, type WaitOutcome } from '../contract';
import { TurnNotFoundError } from '../errors';
import type { CallbackResult, TaskCallbacks, TaskTokenStore } from '../ports';
import { turnProgress } from '../turnLog';
import type { WorkflowDeps } from './deps';
import { releaseWait } from './releaseWait';

export interface AwaitTurnResult {
  readonly registered: true;
  /** Set when the turn had already moved on and the task was resumed at once. */
  readonly released?: WaitOutcome['outcome'];
  readonly callback?: CallbackResult;
}

export const createAwaitTurnHandler =
  ({ service, now, tokens, callbacks }: WorkflowDeps & { tokens: TaskTokenStore; callbacks: TaskCallbacks }) =>
  async ({ taskToken, rotationId, turnId, waitingFor }: AwaitTurnRequest): Promise<AwaitTurnResult> => {
    const record = { turnId, rotationId, taskToken, waitingFor, registeredAt: now() };
    await tokens.put(record);
    const log = await service.read(rotationId);
    const progress = log ? turnProgress(log.commits, turnId) : null;
    if (progress === null) throw new TurnNotFoundError(rotationId, turnId);
    const movedOn = waitingFor === 'stage' ? progress !== 'called' : TURN_ENDINGS.has(progress);
    if (!movedOn || progress === 'called') return { registered: true };
    const callback = await releaseWait({ tokens, callbacks }, record, progress);
    return { registered: true, released: progress, callback };
  };
