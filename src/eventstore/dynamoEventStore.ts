/**
 * The event store's DynamoDB adapter: one item per commit (commitItem.ts), one conditional PutItem per append.
 * It speaks the low-level API: items are converted by hand to and from their known shape, not walked by a
 * generic marshaller.
 */
import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBClient,
  type QueryCommandInput,
  type QueryCommandOutput,
  type ScanCommandInput,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { PACKED_ATTRIBUTE, commitOfItem, isPackedItem, itemOfCommit, type Item } from './commitItem';
import { isConditionFailed, isMissingIndex, isUnavailable, type AnyDynamoClient } from './dynamo';
import { EventStoreUnavailableError } from './errors';
import { createEventStore, type EventStore, type EventStoreAdapter, type EventStoreOptions } from './store';
import { EVENTS_TABLE, FIRST_COMMITS_INDEX, FIRST_COMMIT_MARK } from './tables';

export interface DynamoEventStoreOptions extends EventStoreOptions {
  readonly client: AnyDynamoClient;
  readonly tableName?: string;
}

const { partitionKey: PK, sortKey: SK } = EVENTS_TABLE;

const MARK = FIRST_COMMITS_INDEX.partitionKey.name;

type AnyCommand = GetItemCommand | PutItemCommand | QueryCommand | ScanCommand;

const versionRange = (fromVersion?: number, toVersion?: number): { expr: string; values: Item } => {
  const from = { N: String(fromVersion) };
  const to = { N: String(toVersion) };
  if (fromVersion !== undefined && toVersion !== undefined) return { expr: ' AND #sk BETWEEN :from AND :to', values: { ':from': from, ':to': to } };
  if (fromVersion !== undefined) return { expr: ' AND #sk >= :from', values: { ':from': from } };
  if (toVersion !== undefined) return { expr: ' AND #sk <= :to', values: { ':to': to } };
  return { expr: '', values: {} };
};

export const dynamoEventStoreAdapter = ({
  client,
  tableName = EVENTS_TABLE.tableName,
}: DynamoEventStoreOptions): EventStoreAdapter => {
  // A document client sends low-level commands as they are (its translation lives in its own command classes).
  const low = client as DynamoDBClient;
  /**
   * Each command class's middleware resolved once, as the SDK's `cacheMiddleware` client option does: client.send
   * otherwise rebuilds the whole stack on every request, a tenth of a small request's cost. Middleware added to
   * the client after this adapter's first request of a kind does not apply to its later ones. A client with a send
   * of its own (the in-process store's, which skips the middleware for item commands) is sent to as it is.
   */
  const handlers = new Map<unknown, (command: AnyCommand) => Promise<{ output: unknown }>>();
  const ownSend = Object.hasOwn(low, 'send');
  const sent = (command: AnyCommand): Promise<{ output: unknown }> => {
    if (ownSend) return (low.send(command as never) as Promise<unknown>).then((output) => ({ output }));
    let handler = handlers.get(command.constructor);
    if (!handler) {
      handler = command.resolveMiddleware(low.middlewareStack as never, low.config, undefined) as never;
      handlers.set(command.constructor, handler);
    }
    return handler(command);
  };

  const send = async <T>(command: AnyCommand): Promise<T> => {
    try {
      return (await sent(command)).output as T;
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      throw new EventStoreUnavailableError(`DynamoDB is unavailable: ${(err as Error).message}`, { cause: err });
    }
  };

  async function* query(streamId: string, { fromVersion, toVersion }: { fromVersion?: number; toVersion?: number }) {
    // Versions start at 1: reading from there is reading the whole stream, a simpler condition to send and parse.
    const range = versionRange(fromVersion !== undefined && fromVersion <= 1 ? undefined : fromVersion, toVersion);
    const input: QueryCommandInput = {
      TableName: tableName,
      KeyConditionExpression: `#pk = :pk${range.expr}`,
      ExpressionAttributeNames: { '#pk': PK.name, ...(range.expr ? { '#sk': SK.name } : {}) },
      ExpressionAttributeValues: { ':pk': { S: streamId }, ...range.values },
      ConsistentRead: true,
    };
    // Only the packed attribute is fetched (the keys are known, or packed too). A page holding an item written
    // before the packed form comes back empty-handed for it, so that page and the rest are read whole.
    const packedOnly = { ProjectionExpression: '#c', ExpressionAttributeNames: { ...input.ExpressionAttributeNames, '#c': PACKED_ATTRIBUTE } };
    let whole = false;
    let startKey: Item | undefined;
    for (;;) {
      const page = await send<QueryCommandOutput>(new QueryCommand({ ...input, ...(whole ? {} : packedOnly), ExclusiveStartKey: startKey }));
      const items = page.Items ?? [];
      if (!whole && !items.every(isPackedItem)) {
        whole = true;
        continue;
      }
      yield items.map((item) => commitOfItem(item, streamId));
      startKey = page.LastEvaluatedKey;
      if (!startKey) return;
    }
  }

  async function* scan(pageSize: number, extra: Pick<ScanCommandInput, 'ProjectionExpression' | 'FilterExpression' | 'ExpressionAttributeValues'> = {}) {
    let startKey: Item | undefined;
    do {
      const page = await send<ScanCommandOutput>(
        new ScanCommand({
          TableName: tableName,
          Limit: pageSize,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          ...extra,
          ...(extra.ProjectionExpression || extra.FilterExpression ? { ExpressionAttributeNames: { '#pk': PK.name, '#sk': SK.name } } : {}),
        }),
      );
      yield* page.Items ?? [];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  return {
    async putIfAbsent(commit) {
      try {
        await send(
          new PutItemCommand({
            TableName: tableName,
            Item: itemOfCommit(commit),
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
      const { Item } = await send<{ Item?: Item }>(
        new GetItemCommand({ TableName: tableName, Key: { [PK.name]: { S: streamId }, [SK.name]: { N: String(version) } }, ConsistentRead: true }),
      );
      return Item ? commitOfItem(Item) : null;
    },
    async *scan(pageSize) {
      for await (const item of scan(pageSize)) yield commitOfItem(item);
    },
    async listStreamIds(pageSize) {
      const ids: string[] = [];
      try {
        let startKey: Item | undefined;
        do {
          const page = await send<QueryCommandOutput>(
            new QueryCommand({
              TableName: tableName,
              IndexName: FIRST_COMMITS_INDEX.indexName,
              KeyConditionExpression: '#first = :mark',
              ExpressionAttributeNames: { '#first': MARK },
              ExpressionAttributeValues: { ':mark': { S: FIRST_COMMIT_MARK } },
              Limit: pageSize,
              ExclusiveStartKey: startKey,
            }),
          );
          for (const item of page.Items ?? []) ids.push(item[PK.name]!.S!);
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        return ids;
      } catch (err) {
        // A local data folder made before the index existed (dynalite cannot add one): the old, slower Scan.
        if (!isMissingIndex(err)) throw err;
      }
      for await (const item of scan(pageSize, { ProjectionExpression: '#pk, #sk', FilterExpression: '#sk = :one', ExpressionAttributeValues: { ':one': { N: '1' } } })) {
        ids.push(item[PK.name]!.S!);
      }
      return ids;
    },
  };
};

export const createDynamoEventStore = (options: DynamoEventStoreOptions): EventStore =>
  createEventStore(dynamoEventStoreAdapter(options), options);
