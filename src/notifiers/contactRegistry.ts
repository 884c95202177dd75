/**
 * Saving and erasing a singer's contact (PUT /singers/{singerId}/contact, erasure), keeping the email
 * subscription to the alerts topic in step: subscribed only while the singer opted into email, re-subscribed
 * when the address changes, removed on erasure.
 */
import type { ContactStore, SingerContact } from './contacts';
import type { ContactChannel } from './port';

/** The email side of the transport: SNS in AWS, nothing on one machine. */
export interface EmailSubscriptions {
  /** Returns the subscription's id (SNS subscription ARN), or undefined when there is nothing to remember. */
  subscribeEmail(singerId: string, email: string): Promise<string | undefined>;
  unsubscribe(subscriptionId: string): Promise<void>;
}

/** The outbox needs no subscriptions: it reads channels from the contact at send time. */
export const NO_EMAIL_SUBSCRIPTIONS: EmailSubscriptions = {
  subscribeEmail: async () => undefined,
  unsubscribe: async () => {},
};

export interface ContactInput {
  readonly singerId: string;
  readonly phone?: string;
  readonly email?: string;
  readonly channels: readonly ContactChannel[];
}

export interface ContactRegistry {
  save(input: ContactInput): Promise<SingerContact>;
  erase(singerId: string): Promise<void>;
}

export interface ContactRegistryOptions {
  readonly contacts: ContactStore;
  readonly subscriptions: EmailSubscriptions;
  readonly now?: () => Date;
}

export const createContactRegistry = ({ contacts, subscriptions, now = () => new Date() }: ContactRegistryOptions): ContactRegistry => ({
  save: async ({ singerId, phone, email, channels }) => {
    const old = await contacts.get(singerId);
    const wanted = channels.includes('email') && email ? email : undefined;
    let subscriptionArn = old?.emailSubscriptionArn;
    if (subscriptionArn && old?.email !== wanted) {
      // Old address first: if anything later fails, the worst case is no email, never email to an old address.
      await subscriptions.unsubscribe(subscriptionArn);
      subscriptionArn = undefined;
    }
    if (wanted && !subscriptionArn) subscriptionArn = await subscriptions.subscribeEmail(singerId, wanted);
    const contact: SingerContact = {
      singerId,
      ...(phone ? { phone } : {}),
      ...(email ? { email } : {}),
      channels: [...new Set(channels)],
      updatedAt: now().toISOString(),
      ...(subscriptionArn ? { emailSubscriptionArn: subscriptionArn } : {}),
    };
    await contacts.put(contact);
    return contact;
  },

  erase: async (singerId) => {
    const old = await contacts.get(singerId);
    // Unsubscribe before deleting: if it fails, the item (and the ARN needed to retry) is still there.
    if (old?.emailSubscriptionArn) await subscriptions.unsubscribe(old.emailSubscriptionArn);
    await contacts.delete(singerId);
  },
});
