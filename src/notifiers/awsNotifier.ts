/**
 * The AWS side of turn alerts: each channel the singer opted into and gave an address for is sent at most once
 * (the alert ledger), SMS through SNS and email through SES.
 */
import { reachableChannels, type ContactStore } from './contacts';
import { sendOnce, type AlertLedger } from './dedupe';
import type { ContactChannel, TurnAlertNotifier } from './port';
import type { EmailSender } from './sesEmail';
import type { SmsSender } from './snsSms';

export interface AwsNotifierOptions {
  readonly contacts: Pick<ContactStore, 'get'>;
  readonly ledger: AlertLedger;
  /** One sender per channel a singer can opt into. */
  readonly senders: { readonly sms: SmsSender; readonly email: EmailSender } & Readonly<Record<ContactChannel, SmsSender | EmailSender>>;
}

export const createAwsNotifier = ({ contacts, ledger, senders }: AwsNotifierOptions): TurnAlertNotifier => ({
  notify: async (alert) => {
    const deliveries = [];
    // Only channels the singer opted into and can be reached on; nothing at all without a contact.
    for (const { channel, address } of reachableChannels(await contacts.get(alert.singerId))) {
      const parts = { rotationId: alert.rotationId, turnId: alert.turnId, singerId: alert.singerId, kind: alert.kind, channel };
      deliveries.push(await sendOnce(ledger, parts, () => senders[channel](address, alert)));
    }
    return { deliveries };
  },
});
