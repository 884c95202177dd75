/**
 * `rotation make-kj` and `rotation redrive` with mocked Cognito, SQS and Lambda clients (no local engine speaks
 * them here), asserting the exact requests sent, through the CLI entry as a user runs it.
 */
import { runCli } from '../../src/cli/run';
import type { AwsClients } from '../../src/cli/awsCommands';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/StartTurnWorkflowAsyncFailures-AbC12';

const recorder = (answer: (command: string, input: any) => unknown) => {
  const sent: { command: string; input: any }[] = [];
  const send = async (command: { input: any; constructor: { name: string } }) => {
    sent.push({ command: command.constructor.name, input: command.input });
    return answer(command.constructor.name, command.input);
  };
  return { sent, client: { send } };
};

const cli = async (args: string[], aws: Partial<AwsClients>, env: Record<string, string> = {}) => {
  let stdout = '';
  let stderr = '';
  const none = { send: async () => Promise.reject(new Error('not this client')) };
  const code = await runCli(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => ((stderr += t), true), isTTY: false } as never,
    env,
    aws: () => ({ cognito: none, sqs: none, lambda: none, ...aws }),
  });
  return { code, stdout, stderr };
};

describe('rotation make-kj', () => {
  it('adds the user to the kj group of the given pool', async () => {
    const cognito = recorder(() => ({}));
    const run = await cli(['make-kj', 'dj@example.com', '--user-pool', 'eu-west-1_Pool1'], { cognito: cognito.client });
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining('dj@example.com is now a KJ') });
    expect(cognito.sent).toEqual([{ command: 'AdminAddUserToGroupCommand', input: { UserPoolId: 'eu-west-1_Pool1', Username: 'dj@example.com', GroupName: 'kj' } }]);
  });

  it('takes the pool from USER_POOL_ID, says so when the user does not exist, and needs a pool at all', async () => {
    const cognito = recorder(() => Promise.reject(Object.assign(new Error('User does not exist.'), { name: 'UserNotFoundException' })));
    const missing = await cli(['make-kj', 'nobody'], { cognito: cognito.client }, { USER_POOL_ID: 'eu-west-1_Pool2' });
    expect(missing).toMatchObject({ code: 3, stderr: expect.stringContaining('No user "nobody" in user pool eu-west-1_Pool2') });
    expect(cognito.sent[0]!.input.UserPoolId).toBe('eu-west-1_Pool2');
    expect(await cli(['make-kj', 'x'], {})).toMatchObject({ code: 2, stderr: expect.stringContaining('--user-pool') });
  });
});

describe('rotation redrive', () => {
  const failureRecord = (detail: object) =>
    JSON.stringify({ version: '1.0', requestContext: { condition: 'RetriesExhausted' }, requestPayload: { 'detail-type': 'TurnCalled', detail }, responsePayload: { errorType: 'EventStoreUnavailableError' } });
  const ruleEvent = JSON.stringify({ 'detail-type': 'TurnStarted', source: 'karaoke.rotation', detail: { rotationId: 'r2' } });
  const streamPointer = JSON.stringify({ DDBStreamBatchInfo: { shardId: 's', startSequenceNumber: '1', endSequenceNumber: '2' } });

  it('invokes the function again with each dead letter, deletes those accepted, leaves what it cannot redrive', async () => {
    const batches = [
      [
        { MessageId: 'm1', ReceiptHandle: 'h1', Body: failureRecord({ rotationId: 'r1' }) },
        { MessageId: 'm2', ReceiptHandle: 'h2', Body: ruleEvent },
        { MessageId: 'm3', ReceiptHandle: 'h3', Body: streamPointer },
      ],
      [],
    ];
    const sqs = recorder((command) => (command === 'ReceiveMessageCommand' ? { Messages: batches.shift() } : {}));
    const lambda = recorder(() => ({ StatusCode: 202 }));
    const run = await cli(['redrive', QUEUE, '--function', 'engine-StartTurnWorkflow'], { sqs: sqs.client, lambda: lambda.client });

    expect(lambda.sent).toEqual([
      { command: 'InvokeCommand', input: { FunctionName: 'engine-StartTurnWorkflow', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ 'detail-type': 'TurnCalled', detail: { rotationId: 'r1' } })) } },
      { command: 'InvokeCommand', input: { FunctionName: 'engine-StartTurnWorkflow', InvocationType: 'Event', Payload: Buffer.from(ruleEvent) } },
    ]);
    expect(sqs.sent).toEqual([
      { command: 'ReceiveMessageCommand', input: { QueueUrl: QUEUE, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 } },
      { command: 'DeleteMessageCommand', input: { QueueUrl: QUEUE, ReceiptHandle: 'h1' } },
      { command: 'DeleteMessageCommand', input: { QueueUrl: QUEUE, ReceiptHandle: 'h2' } },
      { command: 'ReceiveMessageCommand', input: { QueueUrl: QUEUE, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 } },
    ]);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain('skipped m3: a DynamoDB stream batch pointer');
    expect(run.stdout).toContain('2 message(s) redriven to engine-StartTurnWorkflow; 1 skipped.');
  });

  it('keeps a message Lambda did not accept, stops at --max, and refuses a bad queue URL or --max', async () => {
    const sqs = recorder((command) => (command === 'ReceiveMessageCommand' ? { Messages: [{ MessageId: 'm1', ReceiptHandle: 'h1', Body: ruleEvent }] } : {}));
    const refused = recorder(() => ({ StatusCode: 500 }));
    const run = await cli(['redrive', QUEUE, '--function', 'f', '--max', '1'], { sqs: sqs.client, lambda: refused.client });
    expect(run).toMatchObject({ code: 1, stderr: expect.stringContaining('did not accept m1') });
    expect(sqs.sent.map((s) => s.command)).toEqual(['ReceiveMessageCommand']);
    expect(sqs.sent[0]!.input.MaxNumberOfMessages).toBe(1);

    expect(await cli(['redrive', 'http://evil.example/q', '--function', 'f'], {})).toMatchObject({ code: 2 });
    expect(await cli(['redrive', QUEUE], {})).toMatchObject({ code: 2, stderr: expect.stringContaining('--function') });
    expect(await cli(['redrive', QUEUE, '--function', 'f', '--max', '0'], {})).toMatchObject({ code: 2 });
  });
});
