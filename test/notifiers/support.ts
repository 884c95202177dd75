import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
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

/**
 * A real SDK client whose `send` alone is replaced: commands are built and typed by the SDK exactly as in AWS,
 * recorded, and answered from `respond` (an Error is thrown). Nothing leaves the machine.
 */
export const spyOnSend = <C extends { send: (...args: any[]) => Promise<unknown> }>(client: C, respond: (command: { input: unknown }) => unknown) => {
  const send = jest.fn(async (command: { input: unknown }) => {
    const out = respond(command);
    if (out instanceof Error) throw out;
    return out;
  });
  (client as { send: unknown }).send = send;
  return { client, send };
};

/** Region and credentials given, so building a client never reads the machine's AWS configuration. */
export const OFFLINE_CLIENT_CONFIG = { region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } } as const;

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
