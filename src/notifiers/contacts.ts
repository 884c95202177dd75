/**
 * Singer contact details, kept in their own table and never in the event log, so erasure is a delete
 * (DESIGN.md: the log is append-only and replayable; personal data must be removable).
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { CONTACTS_TABLE } from '../eventstore/tables';
import { documentClient, type AnyDynamoClient } from '../eventstore/dynamo';
import type { ContactChannel } from './port';

export interface SingerContact {
  readonly singerId: string;
  /** E.164, e.g. +15551234567. */
  readonly phone?: string;
  readonly email?: string;
  /** What the singer opted into; a channel without its address reaches nobody. */
  readonly channels: readonly ContactChannel[];
  readonly updatedAt: string;
}

export interface ContactStore {
  get(singerId: string): Promise<SingerContact | null>;
  put(contact: SingerContact): Promise<void>;
  /** Erasure: removes everything stored about the singer's contact. */
  delete(singerId: string): Promise<void>;
}

export interface DynamoContactStoreOptions {
  readonly client: AnyDynamoClient;
  readonly tableName?: string;
}

export const createDynamoContactStore = ({ client, tableName = CONTACTS_TABLE.tableName }: DynamoContactStoreOptions): ContactStore => {
  const doc = documentClient(client);
  return {
    get: async (singerId) => {
      // Consistent: an alert right after the singer saved a number must use the new number.
      const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: { singerId }, ConsistentRead: true }));
      return (Item as SingerContact | undefined) ?? null;
    },
    put: async (contact) => {
      await doc.send(new PutCommand({ TableName: tableName, Item: { ...contact, channels: [...contact.channels] } }));
    },
    delete: async (singerId) => {
      await doc.send(new DeleteCommand({ TableName: tableName, Key: { singerId } }));
    },
  };
};

export interface ContactAddress {
  readonly channel: ContactChannel;
  readonly address: string;
}

/** The channels that actually reach the singer: opted in AND an address to send to. sms before email. */
export const reachableChannels = (contact: SingerContact | null): ContactAddress[] => {
  if (!contact) return [];
  const reachable: ContactAddress[] = [];
  if (contact.channels.includes('sms') && contact.phone) reachable.push({ channel: 'sms', address: contact.phone });
  if (contact.channels.includes('email') && contact.email) reachable.push({ channel: 'email', address: contact.email });
  return reachable;
};
