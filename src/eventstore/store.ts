/**
 * The event store port and its DynamoDB adapter: one item per commit, one conditional PutItem per append.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { sealCommit, type NewCommit, type StoredCommit } from './commit';
import { CommitTooLargeError, ConcurrencyError, EventStoreUnavailableError } from './errors';
import { EVENTS_TABLE } from './tables';

export interface ReadStreamOptions {
  /** First version to return (default 1): lets a caller that already holds a prefix catch up cheaply. */
  readonly fromVersion?: number;
  /** Last version to return (inclusive). */
  readonly toVersion?: number;
  /**
   * The stream as it stood at this time: the commits, in version order, up to (not including) the first
   * one recorded after it. Commit times come from commands, so a prefix is the only state that existed.
   */
  readonly toTime?: string | Date;
}

export interface EventStore {
  /** Appends at version expectedVersion + 1. Throws ConcurrencyError if that version exists. */
  append(streamId: string, expectedVersion: number, commit: NewCommit): Promise<StoredCommit>;
  /** Commits of one stream in version order (strongly consistent). */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredCommit[]>;
  readCommit(streamId: string, version: number): Promise<StoredCommit | null>;
  /**
   * Every commit of every stream, for rebuilding projections. Order ACROSS streams is arbitrary (table scan
   * order); to apply per stream in version order use listStreamIds + readStream.
   */
  readAll(options?: { pageSize?: number }): AsyncIterable<StoredCommit>;
  /** Ids of all streams (those with a version 1). */
  listStreamIds(options?: { pageSize?: number }): Promise<string[]>;
}

/** DynamoDB's item limit, counted as DynamoDB counts it (attribute names + values). */
export const MAX_ITEM_BYTES = 400 * 1024;

export interface DynamoEventStoreOptions {
  readonly client: DynamoDBClient | DynamoDBDocumentClient;
  readonly tableName?: string;
}

const { partitionKey: PK, sortKey: SK } = EVENTS_TABLE;

export const createDynamoEventStore = ({
  client,
  tableName = EVENTS_TABLE.tableName,
}: DynamoEventStoreOptions): EventStore => {
  const doc =
    client instanceof DynamoDBDocumentClient
      ? client
      : DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

  const send = async <T>(command: { readonly input: object }): Promise<T> => {
    try {
      return (await doc.send(command as never)) as T;
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      throw new EventStoreUnavailableError(`DynamoDB is unavailable: ${(err as Error).message}`, { cause: err });
    }
  };

  const append: EventStore['append'] = async (streamId, expectedVersion, commit) => {
    if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
      throw new RangeError(`expectedVersion must be a non-negative integer, got ${expectedVersion}`);
    }
    if (commit.events.length === 0) throw new RangeError('A commit must carry at least one event');
    if (Number.isNaN(Date.parse(commit.at))) throw new RangeError(`Commit time is not ISO-8601: "${commit.at}"`);

    const item = sealCommit(streamId, expectedVersion + 1, commit);
    const size = itemSizeBytes(item);
    if (size > MAX_ITEM_BYTES) throw new CommitTooLargeError(streamId, size, MAX_ITEM_BYTES);

    try {
      await send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK.name },
        }),
      );
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') {
        throw new ConcurrencyError(streamId, expectedVersion, { cause: err });
      }
      throw err;
    }
    return item;
  };

  const readStream: EventStore['readStream'] = async (streamId, options = {}) => {
    const { fromVersion, toVersion } = options;
    const toTime = options.toTime === undefined ? undefined : new Date(options.toTime).getTime();
    const range =
      fromVersion !== undefined && toVersion !== undefined
        ? { expr: ' AND #sk BETWEEN :from AND :to', values: { ':from': fromVersion, ':to': toVersion } }
        : fromVersion !== undefined
          ? { expr: ' AND #sk >= :from', values: { ':from': fromVersion } }
          : toVersion !== undefined
            ? { expr: ' AND #sk <= :to', values: { ':to': toVersion } }
            : { expr: '', values: {} };
    if (fromVersion !== undefined && toVersion !== undefined && fromVersion > toVersion) return [];

    const input: QueryCommandInput = {
      TableName: tableName,
      KeyConditionExpression: `#pk = :pk${range.expr}`,
      ExpressionAttributeNames: { '#pk': PK.name, ...(range.expr ? { '#sk': SK.name } : {}) },
      ExpressionAttributeValues: { ':pk': streamId, ...range.values },
      ConsistentRead: true,
    };
    const commits: StoredCommit[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await send<{ Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> }>(
        new QueryCommand({ ...input, ExclusiveStartKey: startKey }),
      );
      for (const item of page.Items ?? []) {
        const commit = item as unknown as StoredCommit;
        if (toTime !== undefined && Date.parse(commit.at) > toTime) return commits;
        commits.push(commit);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return commits;
  };

  const readCommit: EventStore['readCommit'] = async (streamId, version) => {
    const { Item } = await send<{ Item?: Record<string, unknown> }>(
      new GetCommand({ TableName: tableName, Key: { [PK.name]: streamId, [SK.name]: version }, ConsistentRead: true }),
    );
    return (Item as StoredCommit | undefined) ?? null;
  };

  async function* scan(extra: { ProjectionExpression?: string; FilterExpression?: string; values?: Record<string, unknown> }, pageSize: number) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await send<{ Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> }>(
        new ScanCommand({
          TableName: tableName,
          Limit: pageSize,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          ...(extra.ProjectionExpression ? { ProjectionExpression: extra.ProjectionExpression } : {}),
          ...(extra.FilterExpression
            ? { FilterExpression: extra.FilterExpression, ExpressionAttributeValues: extra.values }
            : {}),
          ...(extra.ProjectionExpression || extra.FilterExpression
            ? { ExpressionAttributeNames: { '#pk': PK.name, '#sk': SK.name } }
            : {}),
        }),
      );
      yield* page.Items ?? [];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  const readAll: EventStore['readAll'] = ({ pageSize = 100 } = {}) =>
    scan({}, pageSize) as AsyncIterable<StoredCommit>;

  const listStreamIds: EventStore['listStreamIds'] = async ({ pageSize = 1000 } = {}) => {
    const ids: string[] = [];
    // Filters still read every item; fine for rebuilds, which read everything anyway.
    for await (const item of scan({ ProjectionExpression: '#pk, #sk', FilterExpression: '#sk = :one', values: { ':one': 1 } }, pageSize)) {
      ids.push(item[PK.name] as string);
    }
    return ids;
  };

  return { append, readStream, readCommit, readAll, listStreamIds };
};

const UNAVAILABLE = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

const NETWORK = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up)\b/;

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
