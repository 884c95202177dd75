import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, QueryCommand, ScanCommand, type QueryCommandInput, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../src/local/embeddedDynamo';
import { createTableInput, SONGBOOK_TABLE } from '../../src/eventstore/tables';

/**
 * The embedded store reads a Query's or Scan's items from the database in batches (embeddedDynamo.ts
 * readInBatches), where dynalite reads one at a time. Pages must not change: the same requests to a dynalite
 * as it ships, on a loopback port, give the same answers, around batch edges, page limits and the 1 MB cut.
 */
// dynalite ships no types.
const dynalite = require('dynalite') as (options: object) => Server;

const pk = SONGBOOK_TABLE.partitionKey.name;
const sk = SONGBOOK_TABLE.sortKey.name;

let shipped: { server: Server; client: DynamoDBClient };
let ours: EmbeddedDynamo;
const TABLE = 'batched-reads';

beforeAll(async () => {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  shipped = { server, client };
  ours = await startEmbeddedDynamo({ transport: 'in-process' });
  for (const client of [shipped.client, ours.client]) {
    await client.send(new CreateTableCommand(createTableInput(SONGBOOK_TABLE, TABLE)));
    while ((await client.send(new DescribeTableCommand({ TableName: TABLE }))).Table?.TableStatus !== 'ACTIVE') await new Promise((r) => setTimeout(r, 5));
    // Three partitions, 200 small items and 25 of 100 KB in the middle one (a 1 MB page holds about 10).
    for (const [book, count, filler] of [['a', 200, 10], ['b', 25, 100_000], ['c', 7, 10]] as const) {
      for (let i = 0; i < count; i++) {
        await client.send(
          new PutItemCommand({ TableName: TABLE, Item: { [pk]: { S: book }, [sk]: { S: String(i).padStart(4, '0') }, n: { N: String(i) }, filler: { S: 'x'.repeat(filler) } } }),
        );
      }
    }
  }
}, 60_000);

afterAll(async () => {
  shipped.client.destroy();
  await new Promise((resolve) => shipped.server.close(resolve));
  await ours.close();
});

/** Every page of a Query or Scan, following LastEvaluatedKey, without the metadata. */
const pages = async (client: DynamoDBClient, input: QueryCommandInput | ScanCommandInput, kind: 'query' | 'scan') => {
  const result = [];
  let ExclusiveStartKey: QueryCommandInput['ExclusiveStartKey'];
  do {
    const command = kind === 'query' ? new QueryCommand({ ...input, ExclusiveStartKey } as QueryCommandInput) : new ScanCommand({ ...input, ExclusiveStartKey });
    const { $metadata: _m, ...page } = await client.send(command as QueryCommand);
    result.push(page);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && result.length < 100);
  return result;
};

const query = (book: string, extra: Partial<QueryCommandInput> = {}): QueryCommandInput => ({
  TableName: TABLE,
  KeyConditionExpression: '#pk = :pk',
  ExpressionAttributeNames: { '#pk': pk },
  ExpressionAttributeValues: { ':pk': { S: book } },
  ConsistentRead: true,
  ...extra,
});

describe('batched reads', () => {
  it.each([
    ['a whole partition', query('a')],
    ['pages of 1', query('c', { Limit: 1 })],
    ['pages one short of, at and past a batch', query('a', { Limit: 63 })],
    ['pages of a batch', query('a', { Limit: 64 })],
    ['pages one past a batch', query('a', { Limit: 65 })],
    ['backwards', query('a', { ScanIndexForward: false, Limit: 70 })],
    ['1 MB pages', query('b')],
    ['1 MB pages backwards', query('b', { ScanIndexForward: false })],
    ['a range', query('a', { KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to', ExpressionAttributeNames: { '#pk': pk, '#sk': sk }, ExpressionAttributeValues: { ':pk': { S: 'a' }, ':from': { S: '0060' }, ':to': { S: '0130' } }, Limit: 50 })],
    ['a filter and a projection', query('a', { FilterExpression: 'n > :n', ProjectionExpression: '#sk, n', ExpressionAttributeNames: { '#pk': pk, '#sk': sk }, ExpressionAttributeValues: { ':pk': { S: 'a' }, ':n': { N: '150' } }, Limit: 80 })],
    ['nothing', query('none')],
  ])('Query: %s, as dynalite answers it', async (_name, input) => {
    const theirs = await pages(shipped.client, input, 'query');
    expect(theirs.length).toBeGreaterThan(0);
    expect(await pages(ours.client, input, 'query')).toStrictEqual(theirs);
  });

  it.each([
    ['the table', { TableName: TABLE }],
    ['pages of 64', { TableName: TABLE, Limit: 64 }],
    ['pages of 65, keys only', { TableName: TABLE, Limit: 65, ProjectionExpression: '#pk, #sk', ExpressionAttributeNames: { '#pk': pk, '#sk': sk } }],
  ])('Scan: %s, as dynalite answers it', async (_name, input) => {
    const theirs = await pages(shipped.client, input, 'scan');
    expect(theirs.length).toBeGreaterThan(1);
    expect(await pages(ours.client, input, 'scan')).toStrictEqual(theirs);
  });
});
