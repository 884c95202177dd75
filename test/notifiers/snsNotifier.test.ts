import { PublishCommand, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { createDynamoContactStore, type SingerContact } from '../../src/notifiers/contacts';
import { createDynamoAlertLedger } from '../../src/notifiers/dedupe';
import { NotifierConfigError } from '../../src/notifiers/errors';
import { alertsTopicArnFrom, createSnsEmailSubscriptions, createSnsNotifier } from '../../src/notifiers/snsNotifier';
import { withEmbeddedDynamo } from '../support/dynamo';
import { alert, mockSns } from './support';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:karaoke-alerts';
const dynamo = withEmbeddedDynamo();
const contacts = () => createDynamoContactStore({ client: dynamo.client, tableName: dynamo.tableNames.contacts });

const notifierWith = (sns: ReturnType<typeof mockSns>['sns']) =>
  createSnsNotifier({
    sns,
    contacts: contacts(),
    ledger: createDynamoAlertLedger({ client: dynamo.client, tableName: dynamo.tableNames.alerts }),
    alertsTopicArn: TOPIC,
  });

let n = 0;
/** A singer with a fresh id (the tables are shared by the file's tests) and the given contact. */
const singer = async (contact: Omit<SingerContact, 'singerId' | 'updatedAt'> | null) => {
  const singerId = `singer-${++n}`;
  if (contact) await contacts().put({ singerId, updatedAt: '2025-01-01T19:00:00.000Z', ...contact });
  return singerId;
};

const SMS_INPUT = {
  PhoneNumber: '+15551234567',
  Message: "You're up at The Blue Room: take the stage for 'Dancing Queen'!",
  MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
};
const emailInput = (singerId: string) => ({
  TopicArn: TOPIC,
  Subject: "You're up at The Blue Room",
  Message: "Hi Amy,\n\nYou're up at The Blue Room: take the stage for 'Dancing Queen'!",
  MessageAttributes: { singerId: { DataType: 'String', StringValue: singerId } },
});

describe('SNS notifier', () => {
  it('an sms-only singer gets exactly one SMS Publish and no email', async () => {
    const singerId = await singer({ phone: '+15551234567', email: 'amy@example.com', channels: ['sms'] });
    const { sns, send } = mockSns();
    const result = await notifierWith(sns).notify(alert({ singerId }));

    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]![0]).toBeInstanceOf(PublishCommand);
    expect(send.mock.calls[0]![0].input).toEqual(SMS_INPUT);
    expect(result).toEqual({ deliveries: [{ channel: 'sms', alertKey: `r1#t1#${singerId}#up-now#sms`, outcome: 'sent' }] });
  });

  it('an email-only singer gets one Publish to the alerts topic, filtered to them by the singerId attribute', async () => {
    const singerId = await singer({ phone: '+15551234567', email: 'amy@example.com', channels: ['email'] });
    const { sns, send } = mockSns();
    await notifierWith(sns).notify(alert({ singerId }));
    expect(send.mock.calls.map(([c]) => c.input)).toEqual([emailInput(singerId)]);
    expect(send.mock.calls[0]![0]).toBeInstanceOf(PublishCommand);
  });

  it('a singer on both channels gets an SMS and an email; a turns-away alert says how far', async () => {
    const singerId = await singer({ phone: '+15551234567', email: 'amy@example.com', channels: ['sms', 'email'] });
    const { sns, send } = mockSns();
    await notifierWith(sns).notify(alert({ singerId, kind: 'turns-away', turnsAway: 2, songTitle: undefined }));
    expect(send.mock.calls.map(([c]) => c.input)).toEqual([
      {
        PhoneNumber: '+15551234567',
        Message: "You're 2 turns away at The Blue Room — get ready.",
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      },
      {
        TopicArn: TOPIC,
        Subject: '2 turns away at The Blue Room',
        Message: "Hi Amy,\n\nYou're 2 turns away at The Blue Room — get ready.",
        MessageAttributes: { singerId: { DataType: 'String', StringValue: singerId } },
      },
    ]);
  });

  it('sends nothing without a contact, or on a channel the singer opted into but gave no address for', async () => {
    const { sns, send } = mockSns();
    const noContact = await singer(null);
    const noAddress = await singer({ email: 'bo@example.com', channels: ['sms'] });
    const optedOut = await singer({ phone: '+15551234567', email: 'cy@example.com', channels: [] });
    for (const singerId of [noContact, noAddress, optedOut]) {
      expect(await notifierWith(sns).notify(alert({ singerId }))).toEqual({ deliveries: [] });
    }
    expect(send).not.toHaveBeenCalled();
  });

  it('the same alert notified twice, or ten times at once, is sent once per channel', async () => {
    const singerId = await singer({ phone: '+15551234567', email: 'amy@example.com', channels: ['sms', 'email'] });
    const { sns, send } = mockSns();
    const first = await notifierWith(sns).notify(alert({ singerId }));
    const again = await notifierWith(sns).notify(alert({ singerId }));
    expect(first.deliveries.map((d) => d.outcome)).toEqual(['sent', 'sent']);
    expect(again.deliveries.map((d) => d.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(send).toHaveBeenCalledTimes(2);

    const other = await singer({ phone: '+15551234567', email: 'amy@example.com', channels: ['sms', 'email'] });
    const concurrent = mockSns();
    const results = await Promise.all(Array.from({ length: 10 }, () => notifierWith(concurrent.sns).notify(alert({ singerId: other, turnId: 't9' }))));
    expect(concurrent.send.mock.calls.map(([c]) => Object.keys(c.input as object).includes('PhoneNumber') ? 'sms' : 'email').sort()).toEqual(['email', 'sms']);
    expect(results.flatMap((r) => r.deliveries).filter((d) => d.outcome === 'sent')).toHaveLength(2);
  });

  it('a failed SNS call is reported per channel, does not stop the other channel, and is retried by the next notify', async () => {
    const singerId = await singer({ phone: '+15551234567', email: 'amy@example.com', channels: ['sms', 'email'] });
    const failSms = mockSns((c) => ('PhoneNumber' in (c.input as object) ? Object.assign(new Error('no'), { name: 'ThrottledException' }) : { MessageId: 'm' }));
    const first = await notifierWith(failSms.sns).notify(alert({ singerId }));
    expect(first.deliveries).toEqual([
      { channel: 'sms', alertKey: `r1#t1#${singerId}#up-now#sms`, outcome: 'failed', error: 'ThrottledException: no' },
      { channel: 'email', alertKey: `r1#t1#${singerId}#up-now#email`, outcome: 'sent' },
    ]);
    const { sns, send } = mockSns();
    const retry = await notifierWith(sns).notify(alert({ singerId }));
    expect(retry.deliveries.map((d) => [d.channel, d.outcome])).toEqual([['sms', 'sent'], ['email', 'duplicate']]);
    expect(send.mock.calls.map(([c]) => c.input)).toEqual([SMS_INPUT]);
  });

  it('reads the alerts topic from ALERTS_TOPIC_ARN, with a typed error when it is missing', () => {
    expect(alertsTopicArnFrom({ ALERTS_TOPIC_ARN: TOPIC })).toBe(TOPIC);
    expect(() => alertsTopicArnFrom({})).toThrow(NotifierConfigError);
    expect(() => alertsTopicArnFrom({})).toThrow(expect.objectContaining({ code: 'notifier-config-missing', setting: 'ALERTS_TOPIC_ARN' }));
  });
});

describe('SNS email subscriptions', () => {
  it('subscribes an email to the alerts topic with a filter policy on the singer, returning the subscription ARN', async () => {
    const { sns, send } = mockSns(() => ({ SubscriptionArn: `${TOPIC}:sub-1` }));
    const arn = await createSnsEmailSubscriptions({ sns, alertsTopicArn: TOPIC }).subscribeEmail('amy', 'amy@example.com');
    expect(arn).toBe(`${TOPIC}:sub-1`);
    expect(send.mock.calls[0]![0]).toBeInstanceOf(SubscribeCommand);
    expect(send.mock.calls[0]![0].input).toEqual({
      TopicArn: TOPIC,
      Protocol: 'email',
      Endpoint: 'amy@example.com',
      Attributes: { FilterPolicy: '{"singerId":["amy"]}', FilterPolicyScope: 'MessageAttributes' },
      ReturnSubscriptionArn: true,
    });
  });

  it('unsubscribes by ARN; one already gone is fine, other errors are not swallowed', async () => {
    const ok = mockSns(() => ({}));
    await createSnsEmailSubscriptions({ sns: ok.sns, alertsTopicArn: TOPIC }).unsubscribe(`${TOPIC}:sub-1`);
    expect(ok.send.mock.calls[0]![0]).toBeInstanceOf(UnsubscribeCommand);
    expect(ok.send.mock.calls[0]![0].input).toEqual({ SubscriptionArn: `${TOPIC}:sub-1` });

    const gone = mockSns(() => Object.assign(new Error('not found'), { name: 'NotFoundException' }));
    await expect(createSnsEmailSubscriptions({ sns: gone.sns, alertsTopicArn: TOPIC }).unsubscribe('x')).resolves.toBeUndefined();
    const denied = mockSns(() => Object.assign(new Error('denied'), { name: 'AuthorizationErrorException' }));
    await expect(createSnsEmailSubscriptions({ sns: denied.sns, alertsTopicArn: TOPIC }).unsubscribe('x')).rejects.toThrow('denied');
  });
});
