import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand as DocQueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../src/eventstore/dynamo';
import { SONGBOOK_TABLE } from '../../src/eventstore/tables';
import { withEmbeddedDynamo } from '../support/dynamo';

/**
 * The in-process store answers item requests with dynalite's own actions, without HTTP or the SDK's middleware
 * (dynaliteActions.ts, inProcessTransport.ts), through its client and its document client alike. What
 * a caller gets must be what the wire gives: the same requests, sent to a store on a loopback port and to an
 * in-process one, come back equal, failures as the same exceptions.
 */
const wire = withEmbeddedDynamo({ transport: 'tcp' });
const inProcess = withEmbeddedDynamo({ transport: 'in-process' });

// A table with a string hash and range key, as the requests below need (any would do).
const pk = SONGBOOK_TABLE.partitionKey.name;
const sk = SONGBOOK_TABLE.sortKey.name;

const withoutMetadata = ({ $metadata: _m, ...output }: { $metadata?: unknown }) => output;
const outcome = async (send: () => Promise<{ $metadata?: unknown }>) => {
  try {
    return { output: withoutMetadata(await send()) };
  } catch (err) {
    const e = err as Error & { $fault?: string; $metadata?: { httpStatusCode?: number }; Item?: unknown };
    return { error: { name: e.name, message: e.message, fault: e.$fault, status: e.$metadata?.httpStatusCode, item: e.Item, isError: e instanceof Error } };
  }
};

/** How many requests reached the client's request handler (the in-process one answers item commands before it). */
const handled = (client: DynamoDBClient) => {
  const handler = client.config.requestHandler as unknown as { handle: (...args: unknown[]) => unknown };
  const handle = handler.handle;
  let count = 0;
  handler.handle = (...args) => (count++, handle.apply(handler, args));
  return () => ((handler.handle = handle), count);
};

/**
 * Sends the same requests through both stores, in order, and returns both outcomes of each. The in-process store
 * must answer them all directly (item requests only are sent here), or it would be the server answering both.
 */
const both = async (requests: ((client: DynamoDBClient, table: string) => Promise<{ $metadata?: unknown }>)[]) => {
  const run = async (client: DynamoDBClient, table: string) => {
    const outcomes = [];
    for (const request of requests) outcomes.push(await outcome(() => request(client, table)));
    return outcomes;
  };
  const wired = await run(wire.client, wire.tableNames.songbook);
  const stopCounting = handled(inProcess.client);
  const inProcessOutcomes = await run(inProcess.client, inProcess.tableNames.songbook);
  expect(stopCounting()).toBe(0);
  return { wire: wired, inProcess: inProcessOutcomes };
};

describe('in-process answers', () => {
  it('are the answers the wire gives: items of every attribute type, pages, batches, updates', async () => {
    const key = (i: number) => ({ [pk]: { S: 'book-1' }, [sk]: { S: `song-${String(i).padStart(3, '0')}` } });
    const item = (i: number) => ({
      ...key(i),
      title: { S: `Title ${i} é♪𝄞 "quoted" \\ \u2028` },
      plays: { N: String(i * 1.5) },
      art: { B: new Uint8Array([0, 1, 2, 255, i % 256]) },
      // A Buffer is bytes too (it also has a toJSON, which must not be what is written).
      buffer: { B: Buffer.from([i % 256, 7]) },
      arts: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
      tags: { SS: ['a', 'b'] },
      counts: { NS: ['1', '2.5'] },
      nested: { M: { list: { L: [{ S: 'x' }, { N: '0' }, { BOOL: true }, { NULL: true }, { B: new Uint8Array([9]) }] } } },
      filler: { S: 'y'.repeat(50_000) },
    });
    const results = await both([
      ...Array.from({ length: 30 }, (_, i) => (c: DynamoDBClient, t: string) => c.send(new PutItemCommand({ TableName: t, Item: item(i) }))),
      (c, t) => c.send(new GetItemCommand({ TableName: t, Key: key(3), ConsistentRead: true })),
      (c, t) => c.send(new GetItemCommand({ TableName: t, Key: key(999) })),
      // 30 items of 50 KB: a 1 MB page ends early, with a LastEvaluatedKey.
      (c, t) => c.send(new QueryCommand({ TableName: t, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': pk }, ExpressionAttributeValues: { ':pk': { S: 'book-1' } }, ConsistentRead: true })),
      (c, t) => c.send(new QueryCommand({ TableName: t, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': pk, '#a': 'art' }, ExpressionAttributeValues: { ':pk': { S: 'book-1' } }, ProjectionExpression: '#a', Limit: 4, ScanIndexForward: false })),
      (c, t) => c.send(new ScanCommand({ TableName: t, Limit: 3, ConsistentRead: true })),
      (c, t) => c.send(new UpdateItemCommand({ TableName: t, Key: key(1), UpdateExpression: 'SET plays = plays + :one, art = :b', ExpressionAttributeValues: { ':one': { N: '1' }, ':b': { B: new Uint8Array([7]) } }, ReturnValues: 'ALL_NEW' })),
      // A batch get answers in no set order (DynamoDB's neither): compared in key order.
      async (c, t) => {
        const got = await c.send(new BatchGetItemCommand({ RequestItems: { [t]: { Keys: [key(1), key(2), key(998)], ProjectionExpression: `${sk}, plays, art` } } }));
        got.Responses?.[t]?.sort((a, b) => a[sk]!.S!.localeCompare(b[sk]!.S!));
        return got;
      },
      (c, t) => c.send(new BatchWriteItemCommand({ RequestItems: { [t]: [{ PutRequest: { Item: item(40) } }, { DeleteRequest: { Key: key(2) } }] } })),
      (c, t) => c.send(new DeleteItemCommand({ TableName: t, Key: key(5), ReturnValues: 'ALL_OLD' })),
      (c, t) => c.send(new PutItemCommand({ TableName: t, Item: item(6), ReturnValues: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL' })),
    ]);
    expect(results.inProcess).toStrictEqual(results.wire);
    // Blobs are bytes, numbers strings, as the SDK parses them from the wire.
    const got = results.inProcess[30]!.output as { Item: Record<string, { B?: Uint8Array; N?: string }> };
    expect(got.Item.art!.B).toBeInstanceOf(Uint8Array);
    expect(got.Item.plays!.N).toBe('4.5');
  });

  it('fail as the wire fails: the SDK exceptions, with their names, messages and status', async () => {
    const results = await both([
      (c, t) => c.send(new PutItemCommand({ TableName: t, Item: { [pk]: { S: 'b' }, [sk]: { S: 's' } }, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': pk } })),
      (c, t) => c.send(new PutItemCommand({ TableName: t, Item: { [pk]: { S: 'b' }, [sk]: { S: 's' } }, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': pk } })),
      (c, t) => c.send(new PutItemCommand({ TableName: t, Item: { [pk]: { S: 'b' }, [sk]: { S: 's' } }, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': pk }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
      (c, t) => c.send(new PutItemCommand({ TableName: t, Item: { [pk]: { S: 'big' }, [sk]: { S: 's' }, text: { S: 'z'.repeat(401 * 1024) } } })),
      (c, t) => c.send(new GetItemCommand({ TableName: `${t}-missing`, Key: { [pk]: { S: 'b' } } })),
      (c, t) => c.send(new QueryCommand({ TableName: t, KeyConditionExpression: 'nope = :x', ExpressionAttributeValues: { ':x': { S: 'b' } } })),
      (c, t) => c.send(new GetItemCommand({ TableName: t, Key: { [pk]: { N: '1' }, [sk]: { S: 's' } } })),
    ]);
    expect(results.inProcess).toStrictEqual(results.wire);
    expect(results.inProcess[1]).toMatchObject({ error: { name: 'ConditionalCheckFailedException', status: 400, isError: true } });
    expect(results.inProcess.slice(3).every((r) => 'error' in r)).toBe(true);
  });

  it('go through the document client the same way (numbers, sets, binary, undefined fields, failures)', async () => {
    const put = { [pk]: 'book-doc', [sk]: 'doc', n: 42, s: new Set(['x', 'y']), b: new Uint8Array([1, 2]), m: { deep: [1, 'two', null] } };
    const unique = { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': pk } };
    const results = await both([
      (c, t) => documentClient(c).send(new PutCommand({ TableName: t, Item: { ...put, gone: undefined }, ...unique })),
      (c, t) => documentClient(c).send(new PutCommand({ TableName: t, Item: put, ...unique, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
      (c, t) => documentClient(c).send(new GetCommand({ TableName: t, Key: { [pk]: 'book-doc', [sk]: 'doc' } })),
      (c, t) => documentClient(c).send(new DocQueryCommand({ TableName: t, KeyConditionExpression: '#pk = :b', ExpressionAttributeNames: { '#pk': pk }, ExpressionAttributeValues: { ':b': 'book-doc' } })),
      (c, t) => documentClient(c).send(new UpdateCommand({ TableName: t, Key: { [pk]: 'book-doc', [sk]: 'doc' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'ALL_NEW' })),
      (c, t) => documentClient(c).send(new BatchWriteCommand({ RequestItems: { [t]: [{ PutRequest: { Item: { ...put, [sk]: 'doc-2' } } }, { DeleteRequest: { Key: { [pk]: 'book-doc', [sk]: 'doc' } } }] } })),
      (c, t) => documentClient(c).send(new GetCommand({ TableName: t, Key: { [pk]: 'book-doc', [sk]: 'doc-2' }, ConsistentRead: true })),
    ]);
    expect(results.inProcess[1]).toMatchObject({ error: { name: 'ConditionalCheckFailedException' } });
    expect(results.inProcess).toStrictEqual(results.wire);
    expect((results.inProcess[2]!.output as { Item: unknown }).Item).toEqual(put);
  });
});
