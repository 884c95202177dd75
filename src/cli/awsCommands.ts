/**
 * The CLI's commands against a deployment (AWS credentials and region from the environment, as the AWS CLI):
 * - `make-kj`: put a Cognito user in the `kj` group (the only way anyone becomes a KJ in AWS).
 * - `redrive`: hand what a dead-letter queue holds back to the function that failed it, then delete it.
 *   Two kinds of message are redriven: a Lambda on-failure destination record (`requestPayload` is the event the
 *   function was invoked with) and an EventBridge target DLQ message (the event itself). A DynamoDB stream DLQ
 *   message only points at stream records (they expire after 24 h); it is left in the queue, and the command says
 *   what to do instead (`rotation rebuild` for read models; the reconciler restarts turns by itself).
 */
import { AdminAddUserToGroupCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { PrincipalRole } from '../api/http/principal';
import { CliError } from './errors';

type Sender = { send(command: any): Promise<any> };

export interface AwsClients {
  readonly cognito: Sender;
  readonly sqs: Sender;
  readonly lambda: Sender;
}

export const defaultAwsClients = (): AwsClients => ({
  cognito: new CognitoIdentityProviderClient({}),
  sqs: new SQSClient({}),
  lambda: new LambdaClient({}),
});

const KJ_GROUP: PrincipalRole = 'kj';

export const runMakeKj = async (aws: AwsClients, { userPoolId, username }: { userPoolId: string; username: string }, out: (line: string) => void) => {
  try {
    await aws.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: KJ_GROUP }));
  } catch (err) {
    if ((err as Error).name === 'UserNotFoundException') throw new CliError('not-found', `No user "${username}" in user pool ${userPoolId}.`);
    throw err;
  }
  out(`${username} is now a KJ (group ${KJ_GROUP}); their next sign-in carries it.`);
  return 0;
};

/** What a dead letter holds: the event to invoke the function with again, or why it cannot be. */
export const deadLetterPayload = (body: string): { payload: unknown } | { skip: string } => {
  let parsed: any;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { skip: 'not JSON' };
  }
  if (parsed && typeof parsed === 'object') {
    if ('requestPayload' in parsed) return { payload: parsed.requestPayload };
    if ('DDBStreamBatchInfo' in parsed) return { skip: 'a DynamoDB stream batch pointer (run `rotation rebuild`; the reconciler restarts turns)' };
    if ('detail-type' in parsed && 'detail' in parsed) return { payload: parsed };
  }
  return { skip: 'neither an on-failure record nor an EventBridge event' };
};

export interface RedriveOptions {
  readonly queueUrl: string;
  readonly functionName: string;
  /** Stop after this many messages (default 100). */
  readonly max: number;
}

export const runRedrive = async (aws: AwsClients, { queueUrl, functionName, max }: RedriveOptions, out: (line: string) => void) => {
  let redriven = 0;
  let skipped = 0;
  while (redriven + skipped < max) {
    const { Messages = [] } = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: Math.min(10, max - redriven - skipped), WaitTimeSeconds: 1, VisibilityTimeout: 60 }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages as { MessageId: string; ReceiptHandle: string; Body: string }[]) {
      const found = deadLetterPayload(message.Body);
      if ('skip' in found) {
        // Left in the queue (visible again after the timeout) for a person to look at.
        out(`skipped ${message.MessageId}: ${found.skip}`);
        skipped += 1;
        continue;
      }
      // Asynchronously, as EventBridge and the Scheduler invoke it: a new failure lands in the DLQ again.
      const answer = await aws.lambda.send(
        new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(found.payload)) }),
      );
      if (answer.StatusCode !== 202) throw new Error(`Lambda did not accept ${message.MessageId} (status ${answer.StatusCode}); it stays in the queue.`);
      await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      redriven += 1;
    }
  }
  out(`${redriven} message(s) redriven to ${functionName}; ${skipped} skipped.`);
  return skipped > 0 ? 4 : 0;
};
