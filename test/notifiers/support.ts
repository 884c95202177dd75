import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ALERTS_TABLE, createTableInput } from '../../src/eventstore/tables';
import type { OutgoingAlert, TurnAlertNotifier } from '../../src/notifiers/port';
import { TABLES, type TableKey } from '../../src/eventstore/tables';
import { createDynamoContactStore } from '../../src/notifiers/contacts';
import { alertKeyOf } from '../../src/notifiers/dedupe';
import { ALERTS_EMAIL_FROM_ENV } from '../../src/notifiers/sesEmail';
import type { EmbeddedDynamoHandle } from '../support/dynamo';

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

/**
 * The alert notifier exactly as the turn workflow's Lambda builds it (src/workflows/lambda/awsDeps.ts, from its
 * environment), against loopback SNS and SES at `awsUrl()` and the embedded DynamoDB, and a fresh singer to alert
 * per call of `singerOn`. Set up around the calling test file, after the hook that starts the stand-in.
 */
export const awsNotifierAgainst = (dynamo: EmbeddedDynamoHandle, awsUrl: () => string) => {
  const savedEnv = { ...process.env };
  let notifier: TurnAlertNotifier | undefined;
  beforeAll(() => {
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SNS: awsUrl(),
      AWS_ENDPOINT_URL_SESV2: awsUrl(),
      [ALERTS_EMAIL_FROM_ENV]: 'alerts@karaoke.example.com',
      ...Object.fromEntries((Object.keys(TABLES) as TableKey[]).map((key) => [TABLES[key].envVar, dynamo.tableNames[key]])),
    });
    // The module reads its environment when loaded, as in a Lambda container.
    jest.isolateModules(() => {
      notifier = (require('../../src/workflows/lambda/awsDeps') as typeof import('../../src/workflows/lambda/awsDeps')).awsNotifier();
    });
  });
  afterAll(() => {
    process.env = savedEnv;
  });
  let n = 0;
  return {
    get notifier(): TurnAlertNotifier {
      return notifier!;
    },
    /** A fresh singer reachable on one channel, and the alert the turn workflow would send them. */
    singerOn: async (channel: 'sms' | 'email') => {
      const singerId = `singer-${++n}`;
      await createDynamoContactStore({ client: dynamo.client, tableName: dynamo.tableNames.contacts }).put({
        singerId,
        phone: '+15551230001',
        email: 'amy@example.com',
        channels: [channel],
        updatedAt: '2025-01-01T19:00:00.000Z',
      });
      const a = alert({ singerId, turnId: `turn-${n}` });
      return { alert: a, alertKey: alertKeyOf({ rotationId: a.rotationId, turnId: a.turnId, singerId, kind: a.kind, channel }) };
    },
  };
};
