/**
 * The DynamoDB helpers every table adapter shares: the document client, what counts as "unavailable" (retry
 * later) or a lost condition, an item's size as DynamoDB limits it, batched writes, query-all and clearing.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  ScanCommand,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';

const UNAVAILABLE = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

const NETWORK = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up)\b/

/** Throttling, 5xx and network failures: worth retrying later, unlike a bad request. */
export const isUnavailable = (err: unknown): boolean => {
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return (
    UNAVAILABLE.has(e.name ?? '') ||
    (status !== undefined && status >= 500) ||
    // The SDK may re-wrap a socket error as a plain "AWS SDK error wrapper for …" message, losing its code.
    NETWORK.test(`${e.code ?? ''} ${e.message ?? ''}`)
  );
};

/** A conditional write lost: the condition (usually "not there yet") did not hold. */
export const isConditionFailed = (err: unknown): boolean => (err as Error | undefined)?.name === 'ConditionalCheckFailedException';

/** A Query or Scan named an index the table does not have (a table made before the index was added). */
export const isMissingIndex = (err: unknown): boolean =>
  (err as Error | undefined)?.name === 'ValidationException' && /specified index/i.test((err as Error).message);

/** DynamoDB's item limit, counted as DynamoDB counts it (attribute names + values). */
export const MAX_ITEM_BYTES = 400 * 1024;

/**
 * Item size as DynamoDB bills and limits it: UTF-8 attribute names plus values, maps and lists 3 bytes plus
 * 1 per element. Numbers are over-estimated slightly; this errs on refusing, never on a failed write.
 */
export const itemSizeBytes = (item: object): number => {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) size += Buffer.byteLength(name, 'utf8') + valueSizeBytes(value);
  }
  return size;
};

const valueSizeBytes = (value: unknown): number => {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint') {
    const digits = String(value).replace(/e.*$/i, '').replace(/\D/g, '').replace(/^0+/, '').length;
    return Math.ceil(Math.max(digits, 1) / 2) + 3;
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value) || value instanceof Set) {
    let size = 3;
    for (const element of value) if (element !== undefined) size += 1 + valueSizeBytes(element);
    return size;
  }
  if (typeof value === 'object') return 3 + Object.keys(value).length + itemSizeBytes(value);
  throw new TypeError(`Cannot store a ${typeof value} in DynamoDB`);
};

export type AnyDynamoClient = DynamoDBClient | DynamoDBDocumentClient;

const documentClients = new WeakMap<DynamoDBClient, DynamoDBDocumentClient>();

/**
 * Plain JS items in and out; optional fields left undefined are dropped rather than rejected. One per client, so
 * a transport that sends item commands its own way (src/local/directItemCommands.ts) does so for every caller.
 */
export const documentClient = (client: AnyDynamoClient): DynamoDBDocumentClient => {
  if (client instanceof DynamoDBDocumentClient) return client;
  let doc = documentClients.get(client);
  if (!doc) {
    // Over a copy of the client's config: a document client keeps its options in the config it is given, which
    // another DynamoDBDocumentClient.from(client) would otherwise overwrite for this one too. So a later change to
    // the client's config (none is made here) does not reach this one; signing and credentials are shared anyway.
    const own = { config: { ...client.config }, middlewareStack: client.middlewareStack } as DynamoDBClient;
    documentClients.set(client, (doc = DynamoDBDocumentClient.from(own, { marshallOptions: { removeUndefinedValues: true } })));
  }
  return doc;
};

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

/** The pages of a Scan, one at a time, following LastEvaluatedKey. */
export async function* scanPages(doc: DynamoDBDocumentClient, input: ScanCommandInput): AsyncGenerator<Record<string, unknown>[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ ...input, ExclusiveStartKey: startKey }));
    yield page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

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
  const pages = scanPages(doc, {
    TableName: tableName,
    ProjectionExpression: Object.keys(names).join(', '),
    ExpressionAttributeNames: { ...names, ...select?.names },
    ...(select ? { FilterExpression: select.filter, ExpressionAttributeValues: select.values } : {}),
  });
  for await (const keys of pages) {
    await batchWrite(doc, tableName, keys.map((Key) => ({ DeleteRequest: { Key } })));
    deleted += keys.length;
  }
  return deleted;
};
