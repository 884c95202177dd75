/** The event store's DynamoDB adapter: one item per commit, one conditional PutItem per append. */
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { StoredCommit } from './commit';
import { documentClient, isConditionFailed, isMissingIndex, isUnavailable, itemSizeBytes, type AnyDynamoClient } from './dynamo';
import { EventStoreUnavailableError } from './errors';
import { createEventStore, type EventStore, type EventStoreAdapter, type EventStoreOptions } from './store';
import { EVENTS_TABLE, FIRST_COMMITS_INDEX, FIRST_COMMIT_MARK } from './tables';

export interface DynamoEventStoreOptions extends EventStoreOptions {
  readonly client: AnyDynamoClient;
  readonly tableName?: string;
}

const { partitionKey: PK, sortKey: SK } = EVENTS_TABLE;

type Page = { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> };

const MARK = FIRST_COMMITS_INDEX.partitionKey.name;

/**
 * A commit as an item. Its events are one JSON string: DynamoDB keeps, and the SDK converts, one attribute
 * instead of a map per event, which is most of the cost of writing and reading a night. A first commit also
 * carries the first-commits index key.
 */
const itemOf = (commit: StoredCommit): Record<string, unknown> => ({
  ...commit,
  events: JSON.stringify(commit.events),
  ...(commit.version === 1 ? { [MARK]: FIRST_COMMIT_MARK } : {}),
});

/**
 * An events-table item (read, or a stream record's image) as the commit it holds: events parsed (items written
 * before they were one string hold a list, taken as it is), without the index key.
 */
export const commitOfItem = (item: Record<string, unknown>): StoredCommit => {
  const { [MARK]: _mark, ...commit } = item;
  if (typeof commit.events === 'string') commit.events = JSON.parse(commit.events);
  return commit as unknown as StoredCommit;
};

/** The size of the item a commit is stored as, which DynamoDB limits. */
export const commitItemBytes = (commit: StoredCommit): number => itemSizeBytes(itemOf(commit));

export const dynamoEventStoreAdapter = ({
  client,
  tableName = EVENTS_TABLE.tableName,
}: DynamoEventStoreOptions): EventStoreAdapter => {
  const doc = documentClient(client);

  const send = async <T>(command: { readonly input: object }): Promise<T> => {
    try {
      return (await doc.send(command as never)) as T;
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      throw new EventStoreUnavailableError(`DynamoDB is unavailable: ${(err as Error).message}`, { cause: err });
    }
  };

  async function* query(streamId: string, { fromVersion, toVersion }: { fromVersion?: number; toVersion?: number }) {
    const range =
      fromVersion !== undefined && toVersion !== undefined
        ? { expr: ' AND #sk BETWEEN :from AND :to', values: { ':from': fromVersion, ':to': toVersion } }
        : fromVersion !== undefined
          ? { expr: ' AND #sk >= :from', values: { ':from': fromVersion } }
          : toVersion !== undefined
            ? { expr: ' AND #sk <= :to', values: { ':to': toVersion } }
            : { expr: '', values: {} };
    const input: QueryCommandInput = {
      TableName: tableName,
      KeyConditionExpression: `#pk = :pk${range.expr}`,
      ExpressionAttributeNames: { '#pk': PK.name, ...(range.expr ? { '#sk': SK.name } : {}) },
      ExpressionAttributeValues: { ':pk': streamId, ...range.values },
      ConsistentRead: true,
    };
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await send<Page>(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      yield (page.Items ?? []).map(commitOfItem);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  async function* scan(pageSize: number, extra: { ProjectionExpression?: string; FilterExpression?: string; values?: Record<string, unknown> } = {}) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await send<Page>(
        new ScanCommand({
          TableName: tableName,
          Limit: pageSize,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          ...(extra.ProjectionExpression ? { ProjectionExpression: extra.ProjectionExpression } : {}),
          ...(extra.FilterExpression ? { FilterExpression: extra.FilterExpression, ExpressionAttributeValues: extra.values } : {}),
          ...(extra.ProjectionExpression || extra.FilterExpression ? { ExpressionAttributeNames: { '#pk': PK.name, '#sk': SK.name } } : {}),
        }),
      );
      yield* page.Items ?? [];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  return {
    itemBytes: commitItemBytes,
    async putIfAbsent(commit) {
      try {
        await send(
          new PutCommand({
            TableName: tableName,
            Item: itemOf(commit),
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': PK.name },
          }),
        );
        return true;
      } catch (err) {
        if (isConditionFailed(err)) return false;
        throw err;
      }
    },
    query,
    async get(streamId, version) {
      const { Item } = await send<{ Item?: Record<string, unknown> }>(
        new GetCommand({ TableName: tableName, Key: { [PK.name]: streamId, [SK.name]: version }, ConsistentRead: true }),
      );
      return Item ? commitOfItem(Item) : null;
    },
    async *scan(pageSize) {
      for await (const item of scan(pageSize)) yield commitOfItem(item);
    },
    async listStreamIds(pageSize) {
      const ids: string[] = [];
      try {
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await send<Page>(
            new QueryCommand({
              TableName: tableName,
              IndexName: FIRST_COMMITS_INDEX.indexName,
              KeyConditionExpression: '#first = :mark',
              ExpressionAttributeNames: { '#first': MARK },
              ExpressionAttributeValues: { ':mark': FIRST_COMMIT_MARK },
              Limit: pageSize,
              ExclusiveStartKey: startKey,
            }),
          );
          for (const item of page.Items ?? []) ids.push(item[PK.name] as string);
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        return ids;
      } catch (err) {
        // A local data folder made before the index existed (dynalite cannot add one): the old, slower Scan.
        if (!isMissingIndex(err)) throw err;
      }
      for await (const item of scan(pageSize, { ProjectionExpression: '#pk, #sk', FilterExpression: '#sk = :one', values: { ':one': 1 } })) {
        ids.push(item[PK.name] as string);
      }
      return ids;
    },
  };
};

export const createDynamoEventStore = (options: DynamoEventStoreOptions): EventStore =>
  createEventStore(dynamoEventStoreAdapter(options), options);
