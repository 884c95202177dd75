/** The exact requests the workflow's AWS adapters send (mocked SDK clients), and how they read the answers. */
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendTaskSuccessCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { createDynamoContactStore } from '../../src/notifiers/contacts';
import { createDynamoAlertLedger } from '../../src/notifiers/dedupe';
import { createAwsNotifier } from '../../src/notifiers/awsNotifier';
import { createSesEmailSender } from '../../src/notifiers/sesEmail';
import { createSnsSmsSender } from '../../src/notifiers/snsSms';
import { createSfnTaskCallbacks } from '../../src/workflows/adapters/sfnCallbacks';
import { createSfnTurnStarter } from '../../src/workflows/adapters/sfnStarter';
import { createAlertSingersHandler } from '../../src/workflows/handlers/alertSingers';
import { OFFLINE_CLIENT_CONFIG, spyOnSend } from '../notifiers/support';
import { withEmbeddedDynamo } from '../support/dynamo';
import { rotationOn } from './support';

const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:karaoke-turn';
const FROM = 'alerts@karaoke.example.com';

const awsError = (name: string) => Object.assign(new Error(`${name} from AWS`), { name });
/** A mocked SFNClient: `send` records commands and answers from `respond`. */
const mockSfn = (respond: (command: { input: unknown }) => unknown = () => ({})) => {
  const send = jest.fn(async (command: { input: unknown }) => {
    const out = respond(command);
    if (out instanceof Error) throw out;
    return out;
  });
  return { sfn: { send } as unknown as Pick<SFNClient, 'send'>, send };
};

describe('Step Functions adapters', () => {
  const input = { Payload: { rotationId: 'r1', turnId: 'f0e1d2c3-0000-4000-8000-000000000001', singerId: 'amy', calledVersion: 4, noShowTimeoutSeconds: 120, completionTimeoutSeconds: 3600, autoAdvance: true } };

  it('StartExecution names the execution by the turn and sends the input as JSON', async () => {
    const { sfn, send } = mockSfn(() => ({ executionArn: 'arn:x', startDate: new Date() }));
    expect(await createSfnTurnStarter({ sfn, stateMachineArn: STATE_MACHINE }).start(input.Payload.turnId, input)).toBe('started');
    expect(send).toHaveBeenCalledTimes(1);
    const [command] = send.mock.calls[0]!;
    expect(command).toBeInstanceOf(StartExecutionCommand);
    expect(command.input).toEqual({ stateMachineArn: STATE_MACHINE, name: input.Payload.turnId, input: JSON.stringify(input) });
  });

  it('a repeated start (ExecutionAlreadyExists) is "already-started"; other errors are not swallowed', async () => {
    const exists = mockSfn(() => awsError('ExecutionAlreadyExists'));
    expect(await createSfnTurnStarter({ sfn: exists.sfn, stateMachineArn: STATE_MACHINE }).start('t', input)).toBe('already-started');
    const denied = mockSfn(() => awsError('AccessDeniedException'));
    await expect(createSfnTurnStarter({ sfn: denied.sfn, stateMachineArn: STATE_MACHINE }).start('t', input)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('SendTaskSuccess carries the token and the outcome as JSON output', async () => {
    const { sfn, send } = mockSfn();
    expect(await createSfnTaskCallbacks({ sfn }).succeed('token-123', { outcome: 'started' })).toBe('delivered');
    const [command] = send.mock.calls[0]!;
    expect(command).toBeInstanceOf(SendTaskSuccessCommand);
    expect(command.input).toEqual({ taskToken: 'token-123', output: '{"outcome":"started"}' });
  });

  it('a task that no longer waits (timed out, already resumed, bad token) is "gone"; throttling is thrown for a retry', async () => {
    for (const name of ['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']) {
      expect(await createSfnTaskCallbacks({ sfn: mockSfn(() => awsError(name)).sfn }).succeed('t', { outcome: 'completed' })).toBe('gone');
    }
    await expect(createSfnTaskCallbacks({ sfn: mockSfn(() => awsError('ThrottlingException')).sfn }).succeed('t', { outcome: 'completed' })).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('AlertSingers with the AWS notifier (SNS for SMS, SES for email)', () => {
  const dynamo = withEmbeddedDynamo();
  /** Real SDK clients with send() replaced; `sent()` lists the SNS commands, then the SES ones. */
  const awsNotifier = (contacts: ReturnType<typeof createDynamoContactStore>, respond: (command: { input: unknown }) => unknown = () => ({ MessageId: 'm' })) => {
    const sns = spyOnSend(new SNSClient(OFFLINE_CLIENT_CONFIG), respond);
    const ses = spyOnSend(new SESv2Client(OFFLINE_CLIENT_CONFIG), respond);
    const notifier = createAwsNotifier({
      contacts,
      ledger: createDynamoAlertLedger({ client: dynamo.client, tableName: dynamo.tableNames.alerts }),
      senders: { sms: createSnsSmsSender({ sns: sns.client }), email: createSesEmailSender({ ses: ses.client, settings: () => ({ from: FROM }) }) },
    });
    const sent = () => [...sns.send.mock.calls, ...ses.send.mock.calls].map(([command]) => command);
    return { notifier, sent };
  };

  it('texts the called singer and emails the singer alertAheadTurns away: exactly these Publish requests, once', async () => {
    const contacts = createDynamoContactStore({ client: dynamo.client, tableName: dynamo.tableNames.contacts });
    await contacts.put({ singerId: 'amy', phone: '+15551230001', channels: ['sms'], updatedAt: '2025-01-01T19:00:00.000Z' });
    await contacts.put({ singerId: 'cy', email: 'cy@example.com', channels: ['email'], updatedAt: '2025-01-01T19:00:00.000Z' });
    const r = await rotationOn(dynamo.client, dynamo.tableNames.events, ['amy', 'bo', 'cy', 'dee'], { alertAheadTurns: 2 });
    const { turnId, calledVersion } = await r.callNext('turn-sns-1');
    const { notifier, sent } = awsNotifier(contacts);
    const alertSingers = createAlertSingersHandler({ service: r.service, notifier });

    const result = await alertSingers({ rotationId: r.rotationId, turnId, calledVersion });
    expect(result).toEqual({
      alerts: [
        { singerId: 'amy', kind: 'up-now', deliveries: [{ channel: 'sms', outcome: 'sent' }] },
        { singerId: 'cy', kind: 'turns-away', deliveries: [{ channel: 'email', outcome: 'sent' }] },
      ],
    });
    expect(sent()).toEqual([expect.any(PublishCommand), expect.any(SendEmailCommand)]);
    expect(sent().map((command) => command.input)).toEqual([
      {
        PhoneNumber: '+15551230001',
        Message: "You're up at The Blue Room: take the stage for 'amy song'!",
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      },
      {
        FromEmailAddress: FROM,
        Destination: { ToAddresses: ['cy@example.com'] },
        Content: {
          Simple: {
            Subject: { Data: '2 turns away at The Blue Room', Charset: 'UTF-8' },
            Body: { Text: { Data: "Hi CY,\n\nYou're 2 turns away at The Blue Room — get ready.", Charset: 'UTF-8' } },
          },
        },
        EmailTags: [{ Name: 'alert-kind', Value: 'turns-away' }],
      },
    ]);

    // A retried step decides the same alerts and sends nothing again.
    const again = await alertSingers({ rotationId: r.rotationId, turnId, calledVersion });
    expect(again.alerts.flatMap((a) => a.deliveries.map((d) => d.outcome))).toEqual(['duplicate', 'duplicate']);
    expect(sent()).toHaveLength(2);
  });

  it('an SNS or SES refusal fails the step with a typed error (the workflow retries it); the retry sends only what failed', async () => {
    const contacts = createDynamoContactStore({ client: dynamo.client, tableName: dynamo.tableNames.contacts });
    await contacts.put({ singerId: 'eve', phone: '+15551230002', email: 'eve@example.com', channels: ['sms', 'email'], updatedAt: '2025-01-01T19:00:00.000Z' });
    const r = await rotationOn(dynamo.client, dynamo.tableNames.events, ['eve'], { alertAheadTurns: 0 });
    const { turnId, calledVersion } = await r.callNext('turn-sns-2');
    let failSms = true;
    const { notifier, sent } = awsNotifier(contacts, (command) => ((command.input as { PhoneNumber?: string }).PhoneNumber && failSms ? Object.assign(awsError('Throttling'), { $metadata: { httpStatusCode: 400 } }) : { MessageId: 'm' }));
    const alertSingers = createAlertSingersHandler({ service: r.service, notifier });
    await expect(alertSingers({ rotationId: r.rotationId, turnId, calledVersion })).rejects.toMatchObject({
      name: 'AlertDeliveryFailedError',
      code: 'alert-delivery-failed',
      failures: [{ singerId: 'eve', channel: 'sms' }],
    });
    failSms = false;
    const retried = await alertSingers({ rotationId: r.rotationId, turnId, calledVersion });
    expect(retried.alerts[0]!.deliveries).toEqual([{ channel: 'sms', outcome: 'sent' }, { channel: 'email', outcome: 'duplicate' }]);
    expect(sent().map((c) => c.constructor.name)).toEqual(['PublishCommand', 'PublishCommand', 'SendEmailCommand']);
  });
});
