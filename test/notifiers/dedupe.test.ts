import { GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { alertKeyOf, createDynamoAlertLedger, sendOnce, type AlertKeyParts } from '../../src/notifiers/dedupe';
import { withEmbeddedDynamo } from '../support/dynamo';
import { tickingClock } from './support';

const dynamo = withEmbeddedDynamo();
const ledger = () => createDynamoAlertLedger({ client: dynamo.client, tableName: dynamo.tableNames.alerts, now: tickingClock() });
const itemOf = async (alertKey: string) =>
  (await DynamoDBDocumentClient.from(dynamo.client).send(new GetCommand({ TableName: dynamo.tableNames.alerts, Key: { alertKey }, ConsistentRead: true }))).Item;

let n = 0;
const parts = (): AlertKeyParts => ({ rotationId: `r${++n}`, turnId: 't1', singerId: 'amy', kind: 'up-now', channel: 'sms' });

describe('alert dedupe', () => {
  it('keys on rotation, turn, singer, kind and channel', () => {
    expect(alertKeyOf({ rotationId: 'r', turnId: 't', singerId: 's', kind: 'turns-away', channel: 'email' })).toBe('r#t#s#turns-away#email');
  });

  it('sends once and records it as sent; a second attempt is a duplicate and sends nothing', async () => {
    const p = parts();
    const send = jest.fn(async () => {});
    expect(await sendOnce(ledger(), p, send)).toEqual({ channel: 'sms', alertKey: alertKeyOf(p), outcome: 'sent' });
    expect(await sendOnce(ledger(), p, send)).toEqual({ channel: 'sms', alertKey: alertKeyOf(p), outcome: 'duplicate' });
    expect(send).toHaveBeenCalledTimes(1);
    expect(await itemOf(alertKeyOf(p))).toEqual({
      alertKey: alertKeyOf(p),
      ...p,
      status: 'sent',
      claimedAt: '2025-01-01T20:00:01.000Z',
      sentAt: '2025-01-01T20:00:02.000Z',
      // DynamoDB TTL (epoch seconds) deletes the claim 30 days after it was made.
      expiresAt: Date.parse('2025-01-01T20:00:01.000Z') / 1000 + 30 * 24 * 3600,
    });
  });

  it('ten concurrent attempts send once', async () => {
    const p = parts();
    const send = jest.fn(async () => {});
    const results = await Promise.all(Array.from({ length: 10 }, () => sendOnce(ledger(), p, send)));
    expect(send).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.outcome).sort()).toEqual(['duplicate', ...Array(8).fill('duplicate'), 'sent'].sort());
  });

  it('records a failed send with its error, and a later attempt may send it', async () => {
    const p = parts();
    const failing = jest.fn(async () => {
      throw Object.assign(new Error('rate exceeded'), { name: 'ThrottledException' });
    });
    expect(await sendOnce(ledger(), p, failing)).toEqual({
      channel: 'sms',
      alertKey: alertKeyOf(p),
      outcome: 'failed',
      error: 'ThrottledException: rate exceeded',
    });
    expect(await itemOf(alertKeyOf(p))).toMatchObject({ status: 'failed', error: 'ThrottledException: rate exceeded' });

    const ok = jest.fn(async () => {});
    expect((await sendOnce(ledger(), p, ok)).outcome).toBe('sent');
    expect((await sendOnce(ledger(), p, ok)).outcome).toBe('duplicate');
    expect(ok).toHaveBeenCalledTimes(1);
    expect(await itemOf(alertKeyOf(p))).toMatchObject({ status: 'sent' });
  });

  it('an alert claimed but never marked (sender died mid-send) is not sent again: at most once', async () => {
    const p = parts();
    expect(await ledger().claim(p)).toBe('claimed');
    const send = jest.fn(async () => {});
    expect((await sendOnce(ledger(), p, send)).outcome).toBe('duplicate');
    expect(send).not.toHaveBeenCalled();
  });

  it('each channel and kind is its own alert', async () => {
    const p = parts();
    const send = jest.fn(async () => {});
    await sendOnce(ledger(), p, send);
    await sendOnce(ledger(), { ...p, channel: 'email' }, send);
    await sendOnce(ledger(), { ...p, kind: 'turns-away' }, send);
    await sendOnce(ledger(), { ...p, turnId: 't2' }, send);
    expect(send).toHaveBeenCalledTimes(4);
  });
});
