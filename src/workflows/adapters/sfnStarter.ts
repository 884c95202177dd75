/**
 * TurnWorkflowStarter on Step Functions: StartExecution named by the turn. StartExecution is idempotent for the
 * same name and input while the execution runs, and answers ExecutionAlreadyExists otherwise (closed, or a
 * different input): either way the turn already has its execution, so that is a success, not an error.
 */
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { TurnWorkflowStarter } from '../ports';

export const createSfnTurnStarter = ({ sfn, stateMachineArn }: { sfn: Pick<SFNClient, 'send'>; stateMachineArn: string }): TurnWorkflowStarter => ({
  start: async (name, input) => {
    try {
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
      return 'started';
    } catch (err) {
      if ((err as Error).name === 'ExecutionAlreadyExists') return 'already-started';
      throw err;
    }
  },
});
