import { GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { createContactRegistry, NO_EMAIL_SUBSCRIPTIONS } from '../../src/notifiers/contactRegistry';
import { createDynamoContactStore, reachableChannels, type SingerContact } from '../../src/notifiers/contacts';
import { createSnsEmailSubscriptions } from '../../src/notifiers/snsNotifier';
import { withEmbeddedDynamo } from '../support/dynamo';
import { mockSns, tickingClock } from './support';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:karaoke-alerts';
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

describe('contact registry with SNS email subscriptions', () => {
  let arns = 0;
  const setup = () => {
    const { sns, send } = mockSns((c) => (c instanceof SubscribeCommand ? { SubscriptionArn: `${TOPIC}:sub-${++arns}` } : {}));
    const registry = createContactRegistry({ contacts: store(), subscriptions: createSnsEmailSubscriptions({ sns, alertsTopicArn: TOPIC }), now: tickingClock() });
    const calls = () => send.mock.calls.map(([c]) => [c.constructor.name, c.input]);
    return { registry, send, calls };
  };

  it('subscribes an opted-in email and keeps the subscription ARN in the contact item', async () => {
    const { registry, calls } = setup();
    const saved = await registry.save({ singerId: 'bo', phone: '+15551230000', email: 'bo@example.com', channels: ['sms', 'email'] });
    expect(calls()).toEqual([
      [SubscribeCommand.name, { TopicArn: TOPIC, Protocol: 'email', Endpoint: 'bo@example.com', Attributes: { FilterPolicy: '{"singerId":["bo"]}', FilterPolicyScope: 'MessageAttributes' }, ReturnSubscriptionArn: true }],
    ]);
    expect(await rawItem('bo')).toEqual({
      singerId: 'bo',
      phone: '+15551230000',
      email: 'bo@example.com',
      channels: ['sms', 'email'],
      updatedAt: '2025-01-01T20:00:01.000Z',
      emailSubscriptionArn: saved.emailSubscriptionArn,
    });
    expect(saved.emailSubscriptionArn).toMatch(/:sub-\d+$/);
  });

  it('saving the same email again changes no subscription; a new email replaces it; dropping email unsubscribes', async () => {
    const { registry, send, calls } = setup();
    const first = await registry.save({ singerId: 'cy', email: 'cy@example.com', channels: ['email'] });
    send.mockClear();

    await registry.save({ singerId: 'cy', email: 'cy@example.com', phone: '+15550000000', channels: ['email', 'sms'] });
    expect(send).not.toHaveBeenCalled();
    expect((await store().get('cy'))?.emailSubscriptionArn).toBe(first.emailSubscriptionArn);

    const second = await registry.save({ singerId: 'cy', email: 'cy@new.example.com', channels: ['email'] });
    expect(calls()).toEqual([
      [UnsubscribeCommand.name, { SubscriptionArn: first.emailSubscriptionArn }],
      [SubscribeCommand.name, expect.objectContaining({ Endpoint: 'cy@new.example.com' })],
    ]);
    expect(second.emailSubscriptionArn).not.toBe(first.emailSubscriptionArn);
    send.mockClear();

    const smsOnly = await registry.save({ singerId: 'cy', email: 'cy@new.example.com', phone: '+15550000000', channels: ['sms'] });
    expect(calls()).toEqual([[UnsubscribeCommand.name, { SubscriptionArn: second.emailSubscriptionArn }]]);
    expect(smsOnly.emailSubscriptionArn).toBeUndefined();
    expect(await rawItem('cy')).not.toHaveProperty('emailSubscriptionArn');
  });

  it('erasure unsubscribes the email and deletes the contact', async () => {
    const { registry, send, calls } = setup();
    const saved = await registry.save({ singerId: 'di', email: 'di@example.com', channels: ['email'] });
    send.mockClear();
    await registry.erase('di');
    expect(calls()).toEqual([[UnsubscribeCommand.name, { SubscriptionArn: saved.emailSubscriptionArn }]]);
    expect(await rawItem('di')).toBeUndefined();

    send.mockClear();
    await registry.erase('never-saved');
    expect(send).not.toHaveBeenCalled();
  });

  it('if unsubscribing fails, erasure fails and keeps the item, so the ARN is still there to retry', async () => {
    const { registry } = setup();
    await registry.save({ singerId: 'ed', email: 'ed@example.com', channels: ['email'] });
    const { sns } = mockSns(() => Object.assign(new Error('denied'), { name: 'AuthorizationErrorException' }));
    const failing = createContactRegistry({ contacts: store(), subscriptions: createSnsEmailSubscriptions({ sns, alertsTopicArn: TOPIC }) });
    await expect(failing.erase('ed')).rejects.toThrow('denied');
    expect(await rawItem('ed')).toMatchObject({ emailSubscriptionArn: expect.stringMatching(/:sub-/) });
  });

  it('without subscriptions (one machine) a contact is just saved', async () => {
    const registry = createContactRegistry({ contacts: store(), subscriptions: NO_EMAIL_SUBSCRIPTIONS, now: tickingClock() });
    expect(await registry.save({ singerId: 'fe', email: 'fe@example.com', channels: ['email', 'email'] })).toEqual({
      singerId: 'fe',
      email: 'fe@example.com',
      channels: ['email'],
      updatedAt: '2025-01-01T20:00:01.000Z',
    });
  });
});
