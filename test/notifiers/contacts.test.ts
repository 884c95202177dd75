import { GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createContactRegistry } from '../../src/notifiers/contactRegistry';
import { createDynamoContactStore, reachableChannels, type SingerContact } from '../../src/notifiers/contacts';
import { withEmbeddedDynamo } from '../support/dynamo';
import { tickingClock } from './support';

const dynamo = withEmbeddedDynamo();
const store = () => createDynamoContactStore({ client: dynamo.client, tableName: dynamo.tableNames.contacts });
const rawItem = async (singerId: string) =>
  (await DynamoDBDocumentClient.from(dynamo.client).send(new GetCommand({ TableName: dynamo.tableNames.contacts, Key: { singerId }, ConsistentRead: true }))).Item;

describe('contact store', () => {
  it('puts, gets and erases a contact; nothing is left after erasure', async () => {
    const contact: SingerContact = { singerId: 'amy', phone: '+15551234567', email: 'amy@example.com', channels: ['sms', 'email'], updatedAt: '2025-01-01T19:00:00.000Z' };
    await store().put(contact);
    expect(await store().get('amy')).toEqual(contact);
    expect(await rawItem('amy')).toEqual(contact);
    await store().delete('amy');
    expect(await store().get('amy')).toBeNull();
    expect(await rawItem('amy')).toBeUndefined();
    expect(await store().get('never-saved')).toBeNull();
  });

  it('reaches a singer only on channels opted into that have an address, sms first', () => {
    const base = { singerId: 's', updatedAt: 'x' };
    expect(reachableChannels(null)).toEqual([]);
    expect(reachableChannels({ ...base, phone: '+1555', email: 'e@x', channels: ['email', 'sms'] })).toEqual([
      { channel: 'sms', address: '+1555' },
      { channel: 'email', address: 'e@x' },
    ]);
    expect(reachableChannels({ ...base, phone: '+1555', email: 'e@x', channels: ['sms'] })).toEqual([{ channel: 'sms', address: '+1555' }]);
    expect(reachableChannels({ ...base, email: 'e@x', channels: ['sms', 'email'] })).toEqual([{ channel: 'email', address: 'e@x' }]);
    expect(reachableChannels({ ...base, phone: '+1555', channels: [] })).toEqual([]);
  });
});

describe('contact registry', () => {
  it('stores what the singer gave (channels once each), with nothing to subscribe: SES sends to the stored address', async () => {
    const registry = createContactRegistry({ contacts: store(), now: tickingClock() });
    expect(await registry.save({ singerId: 'fe', email: 'fe@example.com', channels: ['email', 'email'] })).toEqual({
      singerId: 'fe',
      email: 'fe@example.com',
      channels: ['email'],
      updatedAt: '2025-01-01T20:00:01.000Z',
    });
    expect(await rawItem('fe')).toEqual({ singerId: 'fe', email: 'fe@example.com', channels: ['email'], updatedAt: '2025-01-01T20:00:01.000Z' });
  });

  it('a new save replaces the old contact whole: a dropped address is gone', async () => {
    const registry = createContactRegistry({ contacts: store(), now: tickingClock() });
    await registry.save({ singerId: 'cy', phone: '+15550000000', email: 'cy@example.com', channels: ['email', 'sms'] });
    await registry.save({ singerId: 'cy', phone: '+15550000000', channels: ['sms'] });
    expect(await rawItem('cy')).toEqual({ singerId: 'cy', phone: '+15550000000', channels: ['sms'], updatedAt: '2025-01-01T20:00:02.000Z' });
  });

  it('erasure deletes the contact; erasing one never saved is fine', async () => {
    const registry = createContactRegistry({ contacts: store(), now: tickingClock() });
    await registry.save({ singerId: 'di', email: 'di@example.com', channels: ['email'] });
    await registry.erase('di');
    expect(await rawItem('di')).toBeUndefined();
    await expect(registry.erase('never-saved')).resolves.toBeUndefined();
  });
});
