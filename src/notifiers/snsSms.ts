/** SMS alerts through SNS: a Publish straight to the singer's phone number (no topic, no subscription). */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { sendAtMostOnce } from './atMostOnce';
import { alertMessage } from './messages';
import type { OutgoingAlert } from './port';

export const smsPublishInput = (phoneNumber: string, alert: OutgoingAlert) => ({
  PhoneNumber: phoneNumber,
  Message: alertMessage(alert),
  // Transactional: highest delivery reliability; these are time-critical, not marketing.
  MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
});

export type SmsSender = (phoneNumber: string, alert: OutgoingAlert) => Promise<void>;

export const createSnsSmsSender = ({ sns }: { sns: Pick<SNSClient, 'send'> }): SmsSender => async (phoneNumber, alert) => {
  await sendAtMostOnce(() => sns.send(new PublishCommand(smsPublishInput(phoneNumber, alert))));
};
