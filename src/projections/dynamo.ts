/** The few DynamoDB moves the read models need: batched idempotent writes and clearing a table's items. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  ScanCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';

export type AnyDynamoClient = DynamoDBClient | DynamoDBDocumentClient;

export const documentClient = (client: AnyDynamoClient): DynamoDBDocumentClient =>
  client instanceof DynamoDBDocumentClient
    ? client
    : DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

export const isConditionFailed = (err: unknown): boolean => (err as Error).name === 'ConditionalCheckFailedException';

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

const BATCH_LIMIT = 25;
const MAX_UNPROCESSED_ROUNDS = 8;

/** BatchWriteItem in chunks of 25, resending unprocessed items (throttling) with a growing pause. */
export const batchWrite = async (doc: DynamoDBDocumentClient, tableName: string, requests: readonly WriteRequest[]): Promise<void> => {
  for (let i = 0; i < requests.length; i += BATCH_LIMIT) {
    let pending = requests.slice(i, i + BATCH_LIMIT);
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_UNPROCESSED_ROUNDS) throw new Error(`${tableName}: ${pending.length} writes still unprocessed after ${round} rounds`);
      if (round > 0) await new Promise((r) => setTimeout(r, 25 * 2 ** round));
      const { UnprocessedItems } = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
      pending = (UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    }
  }
};

/** Every item of a Query, following pages. */
export const queryAll = async (doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

/**
 * Deletes the items of a table (or those `select` picks, e.g. one projection's checkpoints), keys only.
 * Items are deleted rather than the table dropped: in AWS the tables belong to the CDK stack.
 */
export const deleteItems = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  keyNames: readonly string[],
  select?: { readonly filter: string; readonly names: Record<string, string>; readonly values: Record<string, unknown> },
): Promise<number> => {
  const names = Object.fromEntries(keyNames.map((k, i) => [`#k${i}`, k]));
  let deleted = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: { ...names, ...select?.names },
        ...(select ? { FilterExpression: select.filter, ExpressionAttributeValues: select.values } : {}),
        ExclusiveStartKey: startKey,
      }),
    );
    const keys = page.Items ?? [];
    await batchWrite(doc, tableName, keys.map((Key) => ({ DeleteRequest: { Key } })));
    deleted += keys.length;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return deleted;
};
