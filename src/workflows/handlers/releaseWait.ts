import type { WaitOutcome } from '../contract';
import type { CallbackResult, TaskCallbacks, TaskTokenRecord, TaskTokenStore } from '../ports';

/** Resumes the waiting task with how the turn moved on, then forgets its token. */
export const releaseWait = async (
  { tokens, callbacks }: { tokens: TaskTokenStore; callbacks: TaskCallbacks },
  record: TaskTokenRecord,
  outcome: WaitOutcome['outcome'],
): Promise<CallbackResult> => {
  const result = await callbacks.succeed(record.taskToken, { outcome });
  await tokens.delete(record.turnId, record.taskToken);
  return result;
};
