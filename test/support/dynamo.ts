/**
 * One in-memory dynalite per test file (each jest worker gets its own, on a free loopback port), all tables
 * created, closed after the file's tests. Reusable by any suite that needs DynamoDB.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startEmbeddedDynamo, type EmbeddedDynamo, type EmbeddedDynamoOptions } from '../../src/local/embeddedDynamo';
import type { TableNames } from '../../src/eventstore/tables';

export interface EmbeddedDynamoHandle {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly tableNames: TableNames;
}

/** Call at the top of a describe or file; the handle's properties are usable inside tests and hooks. */
export const withEmbeddedDynamo = (options: Omit<EmbeddedDynamoOptions, 'dataDir'> = {}): EmbeddedDynamoHandle => {
  let dynamo: EmbeddedDynamo | undefined;
  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo(options);
  });
  afterAll(async () => {
    await dynamo?.close();
  });
  const started = (): EmbeddedDynamo => {
    if (!dynamo) throw new Error('withEmbeddedDynamo: use the handle inside tests or hooks, after beforeAll');
    return dynamo;
  };
  return {
    get endpoint() {
      return started().endpoint;
    },
    get client() {
      return started().client;
    },
    get tableNames() {
      return started().tableNames;
    },
  };
};
