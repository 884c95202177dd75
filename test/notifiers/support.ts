import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import { ALERTS_TABLE, createTableInput } from '../../src/eventstore/tables';
import type { OutgoingAlert } from '../../src/notifiers/port';

export const alert = (overrides: Partial<OutgoingAlert> = {}): OutgoingAlert => ({
  rotationId: 'r1',
  turnId: 't1',
  singerId: 'amy',
  kind: 'up-now',
  turnsAway: 0,
  venue: 'The Blue Room',
  displayName: 'Amy',
  songTitle: 'Dancing Queen',
  ...overrides,
});

/** A mocked SNSClient: `send` records commands and answers from `respond` (default: a message id). */
export const mockSns = (respond: (command: { input: unknown }) => unknown = () => ({ MessageId: 'm-1' })) => {
  const send = jest.fn(async (command: { input: unknown }) => {
    const out = respond(command);
    if (out instanceof Error) throw out;
    return out;
  });
  return { sns: { send } as unknown as Pick<SNSClient, 'send'>, send };
};

let tables = 0;
/** A fresh, empty alerts table, so a test can list the whole outbox without seeing other tests' alerts. */
export const freshAlertsTable = async (client: DynamoDBClient): Promise<string> => {
  const name = `alerts-${process.pid}-${++tables}`;
  await client.send(new CreateTableCommand(createTableInput(ALERTS_TABLE, name)));
  return name;
};

/** A clock that advances one second per reading, from 2025-01-01T20:00:00Z. */
export const tickingClock = () => {
  let t = Date.parse('2025-01-01T20:00:00.000Z');
  return () => new Date((t += 1000));
};
