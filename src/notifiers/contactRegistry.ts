/**
 * Saving and erasing a singer's contact (PUT /singers/{singerId}/contact, erasure). Email goes through SES to the
 * stored address at send time, so saving is just storing: nothing to subscribe, confirm or clean up elsewhere.
 */
import type { ContactStore, SingerContact } from './contacts';
import type { ContactChannel } from './port';

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
  readonly now?: () => Date;
}

export const createContactRegistry = ({ contacts, now = () => new Date() }: ContactRegistryOptions): ContactRegistry => ({
  save: async ({ singerId, phone, email, channels }) => {
    const contact: SingerContact = {
      singerId,
      ...(phone ? { phone } : {}),
      ...(email ? { email } : {}),
      channels: [...new Set(channels)],
      updatedAt: now().toISOString(),
    };
    await contacts.put(contact);
    return contact;
  },
  erase: (singerId) => contacts.delete(singerId),
});
