/**
 * TurnExecutions on Step Functions: DescribeExecution of `<state machine>:<name>`. An execution that does not
 * exist is `missing`; RUNNING (and PENDING_REDRIVE, about to run again) is `running`; any other status ended.
 */
import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionStatus, TurnExecutions } from '../ports';

/** arn:aws:states:r:a:stateMachine:m → arn:aws:states:r:a:execution:m:<name> */
export const executionArnOf = (stateMachineArn: string, name: string): string => {
  const at = stateMachineArn.indexOf(':stateMachine:');
  if (at < 0) throw new RangeError(`Not a state machine ARN: ${stateMachineArn}`);
  return `${stateMachineArn.slice(0, at)}:execution:${stateMachineArn.slice(at + ':stateMachine:'.length)}:${name}`;
};

export const createSfnTurnExecutions = ({ sfn, stateMachineArn }: { sfn: Pick<SFNClient, 'send'>; stateMachineArn: string }): TurnExecutions => ({
  status: async (name): Promise<ExecutionStatus> => {
    try {
      const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, name) }));
      return status === 'RUNNING' || status === 'PENDING_REDRIVE' ? 'running' : 'ended';
    } catch (err) {
      if ((err as Error).name === 'ExecutionDoesNotExist') return 'missing';
      throw err;
    }
  },
});
