/**
 * Alerts fire at most once per (rotation, turn, singer, kind, channel), even when the workflow step is retried
 * or runs twice at once: a conditional PutItem on ALERTS_TABLE claims the alert before anything is sent.
 *
 * Item states: 'sending' (claimed) → 'sent' | 'failed' | 'uncertain'. A 'failed' alert (the service refused it)
 * may be claimed again (a retry should deliver it); a 'sending' or 'uncertain' one may not (the sender died
 * mid-send, or the service may have taken it: src/notifiers/atMostOnce.ts), so the alert is left unsent rather
 * than risk sending it twice: at most once, as ROTATION.md asks.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ALERT_RECORD_TTL_SECONDS, ALERTS_TABLE, expiresAtAfter } from '../eventstore/tables';
import { documentClient, type AnyDynamoClient, isConditionFailed } from '../eventstore/dynamo';
import { AlertDeliveryUncertainError } from './errors';
import type { AlertChannel, ChannelDelivery, OutgoingAlert } from './port';

export interface AlertKeyParts {
  readonly rotationId: string;
  readonly turnId: string;
  readonly singerId: string;
  readonly kind: OutgoingAlert['kind'];
  readonly channel: AlertChannel;
}

export type AlertStatus = 'sending' | 'sent' | 'failed' | 'uncertain';

export const alertKeyOf = ({ rotationId, turnId, singerId, kind, channel }: AlertKeyParts): string =>
  `${rotationId}#${turnId}#${singerId}#${kind}#${channel}`;

export interface AlertLedger {
  /** 'claimed': the caller must send and then mark; 'duplicate': someone already did (or is doing) it. */
  claim(parts: AlertKeyParts, extra?: Readonly<Record<string, unknown>>): Promise<'claimed' | 'duplicate'>;
  markSent(alertKey: string): Promise<void>;
  markFailed(alertKey: string, error: string): Promise<void>;
  /** The send failed but may have been delivered: never claimed again. */
  markUncertain(alertKey: string, error: string): Promise<void>;
}

export interface DynamoAlertLedgerOptions {
  readonly client: AnyDynamoClient;
  readonly tableName?: string;
  readonly now?: () => Date;
}

export const createDynamoAlertLedger = ({
  client,
  tableName = ALERTS_TABLE.tableName,
  now = () => new Date(),
}: DynamoAlertLedgerOptions): AlertLedger => {
  const doc = documentClient(client);
  const mark = (alertKey: string, status: AlertStatus, extra: Record<string, unknown>) => {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':status': status };
    const sets = ['#status = :status'];
    for (const [k, v] of Object.entries(extra)) {
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
    return doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { alertKey },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_exists(alertKey)', // never create a stray half-item
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  };

  return {
    claim: async (parts, extra = {}) => {
      try {
        const claimedAt = now();
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...extra,
              ...parts,
              alertKey: alertKeyOf(parts),
              status: 'sending',
              claimedAt: claimedAt.toISOString(),
              [ALERTS_TABLE.timeToLiveAttribute]: expiresAtAfter(claimedAt, ALERT_RECORD_TTL_SECONDS),
            },
            ConditionExpression: 'attribute_not_exists(alertKey) OR #status = :failed',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':failed': 'failed' },
          }),
        );
        return 'claimed';
      } catch (err) {
        if (isConditionFailed(err)) return 'duplicate';
        throw err;
      }
    },
    markSent: async (alertKey) => {
      await mark(alertKey, 'sent', { sentAt: now().toISOString() });
    },
    markFailed: async (alertKey, error) => {
      await mark(alertKey, 'failed', { failedAt: now().toISOString(), error });
    },
    markUncertain: async (alertKey, error) => {
      await mark(alertKey, 'uncertain', { failedAt: now().toISOString(), error });
    },
  };
};

/**
 * Claims, sends, records. A send failure is recorded and reported as 'failed' (not thrown), so one broken
 * channel does not stop the others; one that may have been delivered is recorded so that it is never resent.
 * A ledger failure is thrown (nothing is known to be sent or not).
 */
export const sendOnce = async (
  ledger: AlertLedger,
  parts: AlertKeyParts,
  send: () => Promise<void>,
  extra?: Readonly<Record<string, unknown>>,
): Promise<ChannelDelivery> => {
  const alertKey = alertKeyOf(parts);
  if ((await ledger.claim(parts, extra)) === 'duplicate') return { channel: parts.channel, alertKey, outcome: 'duplicate' };
  try {
    await send();
  } catch (err) {
    const error = `${(err as Error).name ?? 'Error'}: ${(err as Error).message ?? String(err)}`;
    await (err instanceof AlertDeliveryUncertainError ? ledger.markUncertain(alertKey, error) : ledger.markFailed(alertKey, error));
    return { channel: parts.channel, alertKey, outcome: 'failed', error };
  }
  await ledger.markSent(alertKey);
  return { channel: parts.channel, alertKey, outcome: 'sent' };
};
