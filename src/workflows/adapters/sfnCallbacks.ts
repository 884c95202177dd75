/** TaskCallbacks on Step Functions: SendTaskSuccess with the wait's outcome. */
import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { TaskCallbacks } from '../ports';

/** The task no longer waits for this token: resumed already, timed out, or its execution ended. */
const GONE = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

export const createSfnTaskCallbacks = ({ sfn }: { sfn: Pick<SFNClient, 'send'> }): TaskCallbacks => ({
  succeed: async (taskToken, output) => {
    try {
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
      return 'delivered';
    } catch (err) {
      if (GONE.has((err as Error).name)) return 'gone';
      throw err;
    }
  },
});
