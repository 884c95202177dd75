/**
 * Bus target of TURN_STARTED_PATTERN and TURN_ENDED_PATTERN: the KJ started, completed or forfeited the turn
 * (or the singer skipped it), so the execution waiting on that turn resumes with what happened.
 */
import type { EventBridgeEnvelope } from '../../eventbus/busEvent';
import type { CallbackResult, TaskCallbacks, TaskTokenStore } from '../ports';
import { progressOfEvent } from '../turnLog';
import { releaseWait } from './releaseWait';

export type ReleaseResult = CallbackResult | 'no-waiting-task' | 'not-a-turn-event';

export const createReleaseTurnWaitHandler =
  (deps: { tokens: TaskTokenStore; callbacks: TaskCallbacks }) =>
  async (event: Pick<EventBridgeEnvelope, 'detail'>): Promise<ReleaseResult> => {
    const progress = progressOfEvent(event.detail.type);
    const turnId = (event.detail.data as { turnId?: unknown }).turnId;
    if (!progress || progress === 'called' || typeof turnId !== 'string') return 'not-a-turn-event';
    const record = await deps.tokens.get(turnId);
    // A start resumes only the stage wait; an ending resumes whichever wait the turn is in.
    if (!record || (progress === 'started' && record.waitingFor !== 'stage')) return 'no-waiting-task';
    return releaseWait(deps, record, progress);
  };
