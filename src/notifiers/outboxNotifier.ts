/**
 * The one-machine side of turn alerts: nothing leaves the machine. Each alert is recorded in ALERTS_TABLE
 * (deduplicated exactly as in AWS) and printed, and GET /dev/outbox lists what was "sent".
 */
import { ALERTS_TABLE } from '../eventstore/tables';
import type { ContactStore } from './contacts';
import { reachableChannels } from './contacts';
import { createDynamoAlertLedger, sendOnce } from './dedupe';
import { documentClient, scanPages, type AnyDynamoClient } from '../eventstore/dynamo';
import { alertMessage } from './messages';
import type { AlertChannel, OutgoingAlert, TurnAlertNotifier } from './port';

export interface OutboxAlert {
  readonly singerId: string;
  readonly rotationId: string;
  readonly turnId: string;
  readonly kind: OutgoingAlert['kind'];
  readonly channel: AlertChannel;
  readonly message: string;
  readonly at: string;
}

export interface OutboxNotifier extends TurnAlertNotifier {
  /** Body of GET /dev/outbox: sent alerts, oldest first. */
  listOutbox(): Promise<{ alerts: OutboxAlert[] }>;
}

export interface OutboxNotifierOptions {
  readonly client: AnyDynamoClient;
  readonly contacts: Pick<ContactStore, 'get'>;
  readonly tableName?: string;
  readonly print?: (line: string) => void;
  readonly now?: () => Date;
}

/** Code-unit order: ISO times sort chronologically, and the order does not depend on the machine's locale. */
const compare = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

export const createOutboxNotifier = ({
  client,
  contacts,
  tableName = ALERTS_TABLE.tableName,
  print = console.log,
  now = () => new Date(),
}: OutboxNotifierOptions): OutboxNotifier => {
  const doc = documentClient(client);
  const ledger = createDynamoAlertLedger({ client: doc, tableName, now });

  return {
    notify: async (alert) => {
      const message = alertMessage(alert);
      const reachable = reachableChannels(await contacts.get(alert.singerId)).map((r) => r.channel);
      // Unreachable singers still get an outbox record, so the KJ sees locally what would have been sent.
      const channels: AlertChannel[] = reachable.length > 0 ? reachable : ['outbox'];
      const deliveries = [];
      for (const channel of channels) {
        const parts = { rotationId: alert.rotationId, turnId: alert.turnId, singerId: alert.singerId, kind: alert.kind, channel };
        const at = now().toISOString();
        // The phone number or address is not printed: the log is not the place for contact details.
        const send = async () => print(`[outbox] ${at} ${channel} to ${alert.singerId}: ${message}`);
        deliveries.push(await sendOnce(ledger, parts, send, { message, at }));
      }
      return { deliveries };
    },

    listOutbox: async () => {
      const items: Record<string, unknown>[] = [];
      const pages = scanPages(doc, {
        TableName: tableName,
        ConsistentRead: true,
        FilterExpression: '#status = :sent AND attribute_exists(message)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent' },
      });
      for await (const page of pages) items.push(...page);
      const byTimeThenKey = (a: Record<string, unknown>, b: Record<string, unknown>) =>
        compare(String(a.at), String(b.at)) || compare(String(a.alertKey), String(b.alertKey));
      return {
        alerts: items.sort(byTimeThenKey).map((item) => ({
          singerId: item.singerId as string,
          rotationId: item.rotationId as string,
          turnId: item.turnId as string,
          kind: item.kind as OutboxAlert['kind'],
          channel: item.channel as AlertChannel,
          message: item.message as string,
          at: item.at as string,
        })),
      };
    },
  };
};
