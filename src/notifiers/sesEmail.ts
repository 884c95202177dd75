/**
 * Email alerts through SES (v2 SendEmail), straight to the address the singer stored: nothing to subscribe or
 * confirm, no per-topic subscriber cap, and an alert counts as sent only once SES accepted that very message.
 */
import { SendEmailCommand, type SendEmailCommandInput, type SESv2Client } from '@aws-sdk/client-sesv2';
import { sendAtMostOnce } from './atMostOnce';
import { NotifierConfigError } from './errors';
import { alertEmailBody, alertEmailSubject } from './messages';
import type { OutgoingAlert } from './port';

/** The verified sender (an address of the stage's SES identity). The CDK app sets it when email is configured. */
export const ALERTS_EMAIL_FROM_ENV = 'ALERTS_EMAIL_FROM';
/** The stage's SES configuration set: reputation metrics, bounce/complaint suppression, TLS policy. */
export const SES_CONFIGURATION_SET_ENV = 'SES_CONFIGURATION_SET';

export interface SesEmailSettings {
  readonly from: string;
  readonly configurationSet?: string;
}

export const sesEmailSettingsFrom = (env: Readonly<Record<string, string | undefined>> = process.env): SesEmailSettings => {
  const from = env[ALERTS_EMAIL_FROM_ENV];
  if (!from) throw new NotifierConfigError(ALERTS_EMAIL_FROM_ENV, 'send email alerts through SES');
  const configurationSet = env[SES_CONFIGURATION_SET_ENV];
  return { from, ...(configurationSet ? { configurationSet } : {}) };
};

const utf8 = (Data: string) => ({ Data, Charset: 'UTF-8' });

export const sesEmailInput = (settings: SesEmailSettings, address: string, alert: OutgoingAlert): SendEmailCommandInput => ({
  FromEmailAddress: settings.from,
  Destination: { ToAddresses: [address] },
  Content: { Simple: { Subject: utf8(alertEmailSubject(alert)), Body: { Text: utf8(alertEmailBody(alert)) } } },
  ...(settings.configurationSet ? { ConfigurationSetName: settings.configurationSet } : {}),
  // Tags reach the configuration set's event destinations: delivery and bounce figures per alert kind.
  EmailTags: [{ Name: 'alert-kind', Value: alert.kind }],
});

export type EmailSender = (address: string, alert: OutgoingAlert) => Promise<void>;

/**
 * Settings are read lazily per send: a stage without an email identity still sends SMS, and each email alert
 * fails with a typed config error that the alert ledger records and the AlertsNotDelivered alarm shows.
 */
export const createSesEmailSender = ({ ses, settings }: { ses: Pick<SESv2Client, 'send'>; settings: () => SesEmailSettings }): EmailSender =>
  async (address, alert) => {
    const input = sesEmailInput(settings(), address, alert);
    await sendAtMostOnce(() => ses.send(new SendEmailCommand(input)));
  };
