import { createDynamoContactStore } from '../../src/notifiers/contacts';
import { createOutboxNotifier } from '../../src/notifiers/outboxNotifier';
import { withEmbeddedDynamo } from '../support/dynamo';
import { alert, freshAlertsTable, tickingClock } from './support';

const dynamo = withEmbeddedDynamo();
const contacts = () => createDynamoContactStore({ client: dynamo.client, tableName: dynamo.tableNames.contacts });

const outbox = async () => {
  const print = jest.fn((_line: string) => {});
  const tableName = await freshAlertsTable(dynamo.client);
  const notifier = createOutboxNotifier({ client: dynamo.client, contacts: contacts(), tableName, print, now: tickingClock() });
  return { notifier, print };
};

beforeAll(async () => {
  const at = '2025-01-01T19:00:00.000Z';
  await contacts().put({ singerId: 'amy', phone: '+15551234567', email: 'amy@example.com', channels: ['sms', 'email'], updatedAt: at });
  await contacts().put({ singerId: 'bo', phone: '+15557654321', channels: ['sms'], updatedAt: at });
  await contacts().put({ singerId: 'cy', email: 'cy@example.com', channels: [], updatedAt: at });
});

describe('outbox notifier', () => {
  it('records and prints one alert per channel the singer opted into, and lists exactly those', async () => {
    const { notifier, print } = await outbox();
    const upNow = await notifier.notify(alert({ singerId: 'bo', displayName: 'Bo' }));
    const away = await notifier.notify(alert({ singerId: 'amy', kind: 'turns-away', turnsAway: 2 }));

    expect(upNow.deliveries).toEqual([{ channel: 'sms', alertKey: 'r1#t1#bo#up-now#sms', outcome: 'sent' }]);
    expect(away.deliveries.map((d) => [d.channel, d.outcome])).toEqual([['sms', 'sent'], ['email', 'sent']]);
    expect(await notifier.listOutbox()).toEqual({
      alerts: [
        { singerId: 'bo', rotationId: 'r1', turnId: 't1', kind: 'up-now', channel: 'sms', message: "You're up at The Blue Room: take the stage for 'Dancing Queen'!", at: '2025-01-01T20:00:01.000Z' },
        { singerId: 'amy', rotationId: 'r1', turnId: 't1', kind: 'turns-away', channel: 'sms', message: "You're 2 turns away at The Blue Room — get ready.", at: '2025-01-01T20:00:04.000Z' },
        { singerId: 'amy', rotationId: 'r1', turnId: 't1', kind: 'turns-away', channel: 'email', message: "You're 2 turns away at The Blue Room — get ready.", at: '2025-01-01T20:00:07.000Z' },
      ],
    });
    // No contact details in the log.
    expect(print.mock.calls.map(([line]) => line)).toEqual([
      "[outbox] 2025-01-01T20:00:01.000Z sms to bo: You're up at The Blue Room: take the stage for 'Dancing Queen'!",
      "[outbox] 2025-01-01T20:00:04.000Z sms to amy: You're 2 turns away at The Blue Room — get ready.",
      "[outbox] 2025-01-01T20:00:07.000Z email to amy: You're 2 turns away at The Blue Room — get ready.",
    ]);
  });

  it('a singer no channel reaches (no contact, or none opted into) still shows in the outbox as channel "outbox"', async () => {
    const { notifier } = await outbox();
    await notifier.notify(alert({ singerId: 'nobody' }));
    await notifier.notify(alert({ singerId: 'cy' }));
    expect((await notifier.listOutbox()).alerts.map((a) => [a.singerId, a.channel])).toEqual([['nobody', 'outbox'], ['cy', 'outbox']]);
  });

  it('the same alert notified twice, or ten times at once, is recorded and printed once', async () => {
    const { notifier, print } = await outbox();
    await notifier.notify(alert({ singerId: 'bo' }));
    const again = await notifier.notify(alert({ singerId: 'bo' }));
    expect(again.deliveries.map((d) => d.outcome)).toEqual(['duplicate']);
    await Promise.all(Array.from({ length: 10 }, () => notifier.notify(alert({ singerId: 'bo', turnId: 't2' }))));
    const alerts = (await notifier.listOutbox()).alerts;
    expect(alerts.map((a) => [a.turnId, a.channel])).toEqual([['t1', 'sms'], ['t2', 'sms']]);
    expect(print).toHaveBeenCalledTimes(2);
  });

  it('lists by time, then by key for alerts recorded at the same instant', async () => {
    const tableName = await freshAlertsTable(dynamo.client);
    const frozen = () => new Date('2025-01-01T20:00:00.000Z');
    const notifier = createOutboxNotifier({ client: dynamo.client, contacts: contacts(), tableName, print: () => {}, now: frozen });
    for (const singerId of ['zed', 'amy', 'max']) await notifier.notify(alert({ singerId, turnId: 't5' }));
    expect((await notifier.listOutbox()).alerts.map((a) => `${a.singerId}/${a.channel}`)).toEqual(['amy/email', 'amy/sms', 'max/outbox', 'zed/outbox']);
  });

  it('an empty outbox lists nothing', async () => {
    const { notifier } = await outbox();
    expect(await notifier.listOutbox()).toEqual({ alerts: [] });
  });
});
