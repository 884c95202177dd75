/**
 * The AWS side of turn alerts. SMS goes straight to the phone number; email goes to the alerts topic with a
 * `singerId` message attribute, and each singer's email subscription has a filter policy on that attribute,
 * so the topic delivers the message to that singer only.
 */
import { PublishCommand, SubscribeCommand, UnsubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { EmailSubscriptions } from './contactRegistry';
import { reachableChannels, type ContactAddress, type ContactStore } from './contacts';
import { sendOnce, type AlertLedger } from './dedupe';
import { NotifierConfigError } from './errors';
import { alertEmailBody, alertEmailSubject, alertMessage } from './messages';
import type { OutgoingAlert, TurnAlertNotifier } from './port';

export const ALERTS_TOPIC_ARN_ENV = 'ALERTS_TOPIC_ARN';

export const alertsTopicArnFrom = (env: Readonly<Record<string, string | undefined>> = process.env): string => {
  const arn = env[ALERTS_TOPIC_ARN_ENV];
  if (!arn) throw new NotifierConfigError(ALERTS_TOPIC_ARN_ENV);
  return arn;
};

type Sns = Pick<SNSClient, 'send'>;

export interface SnsNotifierOptions {
  readonly sns: Sns;
  readonly contacts: Pick<ContactStore, 'get'>;
  readonly ledger: AlertLedger;
  readonly alertsTopicArn: string;
}

export const smsPublishInput = (phoneNumber: string, alert: OutgoingAlert) => ({
  PhoneNumber: phoneNumber,
  Message: alertMessage(alert),
  // Transactional: highest delivery reliability; these are time-critical, not marketing.
  MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
});

export const emailPublishInput = (alertsTopicArn: string, alert: OutgoingAlert) => ({
  TopicArn: alertsTopicArn,
  Subject: alertEmailSubject(alert),
  Message: alertEmailBody(alert),
  MessageAttributes: { singerId: { DataType: 'String', StringValue: alert.singerId } },
});

export const createSnsNotifier = ({ sns, contacts, ledger, alertsTopicArn }: SnsNotifierOptions): TurnAlertNotifier => {
  const publish = async ({ channel, address }: ContactAddress, alert: OutgoingAlert): Promise<void> => {
    const input = channel === 'sms' ? smsPublishInput(address, alert) : emailPublishInput(alertsTopicArn, alert);
    await sns.send(new PublishCommand(input));
  };

  return {
    notify: async (alert) => {
      const deliveries = [];
      // Only channels the singer opted into and can be reached on; nothing at all without a contact.
      for (const reachable of reachableChannels(await contacts.get(alert.singerId))) {
        const parts = { rotationId: alert.rotationId, turnId: alert.turnId, singerId: alert.singerId, kind: alert.kind, channel: reachable.channel };
        deliveries.push(await sendOnce(ledger, parts, () => publish(reachable, alert)));
      }
      return { deliveries };
    },
  };
};

export const createSnsEmailSubscriptions = ({ sns, alertsTopicArn }: { sns: Sns; alertsTopicArn: string }): EmailSubscriptions => ({
  subscribeEmail: async (singerId, email) => {
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn: alertsTopicArn,
        Protocol: 'email',
        Endpoint: email,
        Attributes: {
          FilterPolicy: JSON.stringify({ singerId: [singerId] }),
          FilterPolicyScope: 'MessageAttributes',
        },
        // The real ARN even while confirmation is pending, so the subscription can be removed later.
        ReturnSubscriptionArn: true,
      }),
    );
    return SubscriptionArn;
  },
  unsubscribe: async (subscriptionArn) => {
    try {
      await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    } catch (err) {
      // Already gone (e.g. a retried save or erasure): the goal is reached.
      if ((err as Error).name !== 'NotFoundException') throw err;
    }
  },
});
