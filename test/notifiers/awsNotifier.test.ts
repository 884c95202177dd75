import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { createAwsNotifier } from '../../src/notifiers/awsNotifier';
import { createDynamoContactStore, type SingerContact } from '../../src/notifiers/contacts';
import { createDynamoAlertLedger } from '../../src/notifiers/dedupe';
import { NotifierConfigError } from '../../src/notifiers/errors';
import { createSesEmailSender, sesEmailSettingsFrom, type SesEmailSettings } from '../../src/notifiers/sesEmail';
import { createSnsSmsSender } from '../../src/notifiers/snsSms';
import { withEmbeddedDynamo } from '../support/dynamo';
import { alert, OFFLINE_CLIENT_CONFIG, spyOnSend } from './support';

const SETTINGS: SesEmailSettings = { from: 'Karaoke <alerts@karaoke.example.com>', configurationSet: 'karaoke-dev' };
const dynamo = withEmbeddedDynamo();
const contacts = () => createDynamoContactStore({ client: dynamo.client, tableName: dynamo.tableNames.contacts });

type Respond = (command: { input: unknown }) => unknown;
const ok: Respond = () => ({ MessageId: 'm-1' });

/** The notifier on real SNS and SESv2 clients whose send() alone is replaced. */
const notifierWith = ({ sms = ok, email = ok, settings = () => SETTINGS }: { sms?: Respond; email?: Respond; settings?: () => SesEmailSettings } = {}) => {
  const sns = spyOnSend(new SNSClient(OFFLINE_CLIENT_CONFIG), sms);
  const ses = spyOnSend(new SESv2Client(OFFLINE_CLIENT_CONFIG), email);
  const notifier = createAwsNotifier({
    contacts: contacts(),
    ledger: createDynamoAlertLedger({ client: dynamo.client, tableName: dynamo.tableNames.alerts }),
    senders: { sms: createSnsSmsSender({ sns: sns.client }), email: createSesEmailSender({ ses: ses.client, settings }) },
  });
  return { notifier, sns: sns.send, ses: ses.send };
};

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
const EMAIL_INPUT = {
  FromEmailAddress: 'Karaoke <alerts@karaoke.example.com>',
  Destination: { ToAddresses: ['amy@example.com'] },
  Content: {
    Simple: {
      Subject: { Data: "You're up at The Blue Room", Charset: 'UTF-8' },
      Body: { Text: { Data: "Hi Amy,\n\nYou're up at The Blue Room: take the stage for 'Dancing Queen'!", Charset: 'UTF-8' } },
    },
  },
  ConfigurationSetName: 'karaoke-dev',
  EmailTags: [{ Name: 'alert-kind', Value: 'up-now' }],
};

describe('AWS notifier: SMS through SNS, email through SES', () => {
  it('an sms-only singer gets exactly one SNS Publish to the phone number and no email', async () => {
    const singerId = await singer({ phone: '+15551234567', email: 'amy@example.com', channels: ['sms'] });
    const { notifier, sns, ses } = notifierWith();
    const result = await notifier.notify(alert({ singerId }));

    expect(sns).toHaveBeenCalledTimes(1);
    expect(sns.mock.calls[0]![0]).toBeInstanceOf(PublishCommand);
    expect(sns.mock.calls[0]![0].input).toEqual(SMS_INPUT);
    expect(ses).not.toHaveBeenCalled();
    expect(result).toEqual({ deliveries: [{ channel: 'sms', alertKey: `r1#t1#${singerId}#up-now#sms`, outcome: 'sent' }] });
  });

  it('an email-only singer gets one SES SendEmail to the stored address, from the stage sender, in its configuration set', async () => {
    const singerId = await singer({ phone: '+15551234567', email: 'amy@example.com', channels: ['email'] });
    const { notifier, sns, ses } = notifierWith();
    const result = await notifier.notify(alert({ singerId }));

    expect(ses).toHaveBeenCalledTimes(1);
    expect(ses.mock.calls[0]![0]).toBeInstanceOf(SendEmailCommand);
    expect(ses.mock.calls[0]![0].input).toEqual(EMAIL_INPUT);
    expect(sns).not.toHaveBeenCalled();
    expect(result.deliveries).toEqual([{ channel: 'email', alertKey: `r1#t1#${singerId}#up-now#email`, outcome: 'sent' }]);
  });

  it('a singer on both channels gets an SMS and an email; a turns-away alert says how far; no configuration set, none sent', async () => {
    const singerId = await singer({ phone: '+15551234567', email: 'bo@example.com', channels: ['sms', 'email'] });
    const { notifier, sns, ses } = notifierWith({ settings: () => ({ from: 'alerts@karaoke.example.com' }) });
    await notifier.notify(alert({ singerId, displayName: 'Bo', kind: 'turns-away', turnsAway: 2, songTitle: undefined }));
    expect(sns.mock.calls.map(([c]) => c.input)).toEqual([
      {
        PhoneNumber: '+15551234567',
        Message: "You're 2 turns away at The Blue Room — get ready.",
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      },
    ]);
    expect(ses.mock.calls.map(([c]) => c.input)).toEqual([
      {
        FromEmailAddress: 'alerts@karaoke.example.com',
        Destination: { ToAddresses: ['bo@example.com'] },
        Content: {
          Simple: {
            Subject: { Data: '2 turns away at The Blue Room', Charset: 'UTF-8' },
            Body: { Text: { Data: "Hi Bo,\n\nYou're 2 turns away at The Blue Room — get ready.", Charset: 'UTF-8' } },
          },
        },
        EmailTags: [{ Name: 'alert-kind', Value: 'turns-away' }],
      },
    ]);
  });

  it('sends nothing without a contact, or on a channel the singer opted into but gave no address for', async () => {
    const { notifier, sns, ses } = notifierWith();
    const noContact = await singer(null);
    const noAddress = await singer({ email: 'bo@example.com', channels: ['sms'] });
    const optedOut = await singer({ phone: '+15551234567', email: 'cy@example.com', channels: [] });
    for (const singerId of [noContact, noAddress, optedOut]) {
      expect(await notifier.notify(alert({ singerId }))).toEqual({ deliveries: [] });
    }
    expect(sns).not.toHaveBeenCalled();
    expect(ses).not.toHaveBeenCalled();
  });

  it('the same alert notified twice, or ten times at once, is sent once per channel', async () => {
    const singerId = await singer({ phone: '+15551234567', email: 'amy@example.com', channels: ['sms', 'email'] });
    const { notifier, sns, ses } = notifierWith();
    const first = await notifier.notify(alert({ singerId }));
    const again = await notifier.notify(alert({ singerId }));
    expect(first.deliveries.map((d) => d.outcome)).toEqual(['sent', 'sent']);
    expect(again.deliveries.map((d) => d.outcome)).toEqual(['duplicate', 'duplicate']);
    expect([sns.mock.calls.length, ses.mock.calls.length]).toEqual([1, 1]);

    const other = await singer({ phone: '+15551234567', email: 'amy@example.com', channels: ['sms', 'email'] });
    const concurrent = notifierWith();
    const results = await Promise.all(Array.from({ length: 10 }, () => concurrent.notifier.notify(alert({ singerId: other, turnId: 't9' }))));
    expect([concurrent.sns.mock.calls.length, concurrent.ses.mock.calls.length]).toEqual([1, 1]);
    expect(results.flatMap((r) => r.deliveries).filter((d) => d.outcome === 'sent')).toHaveLength(2);
  });

  it('a refused SES send is reported for email only, SMS still goes, and the next notify retries only the email', async () => {
    const singerId = await singer({ phone: '+15551234567', email: 'amy@example.com', channels: ['sms', 'email'] });
    const refused = Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' });
    const first = await notifierWith({ email: () => refused }).notifier.notify(alert({ singerId }));
    expect(first.deliveries).toEqual([
      { channel: 'sms', alertKey: `r1#t1#${singerId}#up-now#sms`, outcome: 'sent' },
      { channel: 'email', alertKey: `r1#t1#${singerId}#up-now#email`, outcome: 'failed', error: 'MessageRejected: Email address is not verified.' },
    ]);
    const retry = notifierWith();
    const again = await retry.notifier.notify(alert({ singerId }));
    expect(again.deliveries.map((d) => [d.channel, d.outcome])).toEqual([['sms', 'duplicate'], ['email', 'sent']]);
    expect(retry.sns).not.toHaveBeenCalled();
    expect(retry.ses.mock.calls.map(([c]) => c.input)).toEqual([EMAIL_INPUT]);
  });

  it('a stage without an email sender still texts; each email alert fails with the missing setting, sending nothing', async () => {
    const singerId = await singer({ phone: '+15551234567', email: 'amy@example.com', channels: ['sms', 'email'] });
    const { notifier, sns, ses } = notifierWith({ settings: () => sesEmailSettingsFrom({}) });
    const result = await notifier.notify(alert({ singerId }));
    expect(result.deliveries.map((d) => [d.channel, d.outcome])).toEqual([['sms', 'sent'], ['email', 'failed']]);
    expect(result.deliveries[1]!.error).toBe('NotifierConfigError: ALERTS_EMAIL_FROM is not set: the notifier needs it to send email alerts through SES.');
    expect(sns).toHaveBeenCalledTimes(1);
    expect(ses).not.toHaveBeenCalled();
  });

  it('reads the sender and configuration set from the environment the CDK app sets, with a typed error when the sender is missing', () => {
    expect(sesEmailSettingsFrom({ ALERTS_EMAIL_FROM: 'alerts@x.example', SES_CONFIGURATION_SET: 'karaoke-prod' })).toEqual({ from: 'alerts@x.example', configurationSet: 'karaoke-prod' });
    expect(sesEmailSettingsFrom({ ALERTS_EMAIL_FROM: 'alerts@x.example', SES_CONFIGURATION_SET: '' })).toEqual({ from: 'alerts@x.example' });
    expect(() => sesEmailSettingsFrom({})).toThrow(NotifierConfigError);
    expect(() => sesEmailSettingsFrom({})).toThrow(expect.objectContaining({ code: 'notifier-config-missing', setting: 'ALERTS_EMAIL_FROM' }));
  });
});
