import { CreateTableCommand, DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { GENESIS_HASH, verifyChain, type StoredCommit } from '../../src/eventstore/commit';
import { commitItemBytes, commitOfItem, itemOfCommit } from '../../src/eventstore/commitItem';
import { itemSizeBytes } from '../../src/eventstore/dynamo';
import { createDynamoEventStore } from '../../src/eventstore/dynamoEventStore';
import { createMemoryEventStore } from '../../src/eventstore/memoryEventStore';
import { type EventStore } from '../../src/eventstore/store';
import { EVENTS_TABLE, FIRST_COMMITS_INDEX, FIRST_COMMIT_MARK, createTableInput } from '../../src/eventstore/tables';
import type { DynamoDBRecord } from 'aws-lambda';
import { commitOfRecord } from '../../src/eventbus/streamPublisher';
import { keysOfStreamRecord, parseStreamRecord } from '../../src/projections/streamRecord';
import { withEmbeddedDynamo } from '../support/dynamo';
import { actor, appendMany, at, eventStoreFeatures } from './features';

// Both ways the store is reached: a loopback port (tests, tools), and in-process (the engine, the CLI, the benches),
// where dynalite answers item requests without HTTP (src/local/dynaliteActions.ts).
describe.each(['tcp', 'in-process'] as const)('DynamoDB event store (%s transport)', (transport) => {
  const dynamo = withEmbeddedDynamo({ transport });
  const store = (): EventStore => createDynamoEventStore({ client: dynamo.client, tableName: dynamo.tableNames.events });

  eventStoreFeatures(store);

  it('pages through long streams and the whole table', async () => {
    // Count the Query and Scan requests (stores made from here on resolve the counting middleware).
    const counting = dynamo.client;
    const calls = { QueryCommand: 0, ScanCommand: 0 };
    counting.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'QueryCommand' || context.commandName === 'ScanCommand') calls[context.commandName]++;
      return next(args);
    }, { step: 'initialize', name: 'countReads' });

    try {
      // ~300 KB commits: a 1 MB query page holds only a few, so readStream must follow LastEvaluatedKey.
      const s = store();
      const big = 'x'.repeat(300_000);
      let prevHash = GENESIS_HASH;
      for (let v = 1; v <= 8; v++) {
        const c = await s.append('rotation#big', v - 1, {
          commandId: `big-${v}`, actor, at: at(v), prevHash,
          events: [{ seq: v, type: 'annotated', schemaVersion: 1, data: { note: big } }],
        });
        prevHash = c.hash;
      }
      const read = await createDynamoEventStore({ client: counting, tableName: dynamo.tableNames.events }).readStream('rotation#big');
      expect(read.map((c) => c.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(verifyChain(read)).toBeNull();
      expect(calls.QueryCommand).toBeGreaterThanOrEqual(3);

      await appendMany(s, 'rotation#scan-a', 3);
      await appendMany(s, 'rotation#scan-b', 4);
      const all: StoredCommit[] = [];
      for await (const c of createDynamoEventStore({ client: counting, tableName: dynamo.tableNames.events }).readAll({ pageSize: 2 })) all.push(c);
      const keys = all.map((c) => `${c.streamId}@${c.version}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toEqual(expect.arrayContaining(['rotation#scan-a@3', 'rotation#scan-b@4', 'rotation#big@8']));
      const total = all.length;
      expect(calls.ScanCommand).toBeGreaterThanOrEqual(Math.ceil(total / 2));

      const scans = calls.ScanCommand;
      const queries = calls.QueryCommand;
      const ids = await createDynamoEventStore({ client: counting, tableName: dynamo.tableNames.events }).listStreamIds({ pageSize: 3 });
      // Answered by the first-commits index, a page of 3 streams at a time, never by scanning the commits.
      expect(calls.ScanCommand).toBe(scans);
      expect(calls.QueryCommand - queries).toBe(Math.floor(ids.length / 3) + 1);
      expect(ids).toEqual(expect.arrayContaining(['rotation#scan-a', 'rotation#scan-b', 'rotation#big']));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(new Set(all.map((c) => c.streamId)).size);
    } finally {
      counting.middlewareStack.remove('countReads');
    }
  });

  it('never estimates an item smaller than DynamoDB (dynalite) counts it', async () => {
    const { itemSize } = require('dynalite/db') as { itemSize: (item: unknown) => number };
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const samples: Record<string, unknown>[] = [
      { events: [] },
      { a: 'ascii', b: 'é♪𝄞', n: [0, -1, 123456789.123, 1e-7, 2 ** 53 - 1, -0.5], m: { deep: { deeper: [true, false, null, {}] } } },
      { events: Array.from({ length: 50 }, (_, i) => ({ seq: i, type: 't', schemaVersion: 1, data: { x: 'y'.repeat(i) } })) },
    ];
    for (const [i, sample] of samples.entries()) {
      const item = { streamId: 'rotation#sizes', version: i + 1, ...sample };
      await doc.send(new PutCommand({ TableName: dynamo.tableNames.events, Item: item }));
      // The raw (marshalled) item as DynamoDB holds it, measured by dynalite's own size rules.
      const { Item } = await dynamo.client.send(new GetItemCommand({
        TableName: dynamo.tableNames.events, Key: { streamId: { S: 'rotation#sizes' }, version: { N: String(i + 1) } },
      }));
      expect(itemSizeBytes(item)).toBeGreaterThanOrEqual(itemSize(Item));
    }
  });


  it('keys only first commits into the first-commits index, and hands commits back without that key', async () => {
    const [first, second] = await appendMany(store(), 'rotation#marked', 2);
    const raw = async (version: number) => (await dynamo.client.send(new GetItemCommand({
      TableName: dynamo.tableNames.events, Key: { streamId: { S: 'rotation#marked' }, version: { N: String(version) } },
    }))).Item!;
    expect((await raw(1))[FIRST_COMMITS_INDEX.partitionKey.name]).toEqual({ S: FIRST_COMMIT_MARK });
    expect((await raw(2))[FIRST_COMMITS_INDEX.partitionKey.name]).toBeUndefined();
    expect(commitOfItem(await raw(1))).toEqual(first);
    expect(await store().readCommit('rotation#marked', 1)).toEqual(first);
    expect(await store().readStream('rotation#marked')).toEqual([first, second]);
  });

  it('stores a commit as its keys and one packed attribute, counted at its stored size', async () => {
    const [written] = await appendMany(store(), 'rotation#packed', 1);
    const { Item } = await dynamo.client.send(new GetItemCommand({
      TableName: dynamo.tableNames.events, Key: { streamId: { S: 'rotation#packed' }, version: { N: '1' } },
    }));
    expect(Object.keys(Item!).sort()).toEqual(['commit', FIRST_COMMITS_INDEX.partitionKey.name, 'streamId', 'version'].sort());
    expect(Item).toEqual(itemOfCommit(written!));
    const { itemSize } = require('dynalite/db') as { itemSize: (item: unknown) => number };
    expect(commitItemBytes(written!)).toBeGreaterThanOrEqual(itemSize(Item));
    expect(commitItemBytes(written!)).toBeLessThan(itemSize(Item) + 16); // the number estimate's slack only
  });

  it('still reads commits written in the earlier forms (events as a list of maps, or one JSON string), mixed in one stream', async () => {
    // One stream: an item of each older form, then the store appends after them in today's form.
    const older = await appendMany(createMemoryEventStore(), 'rotation#older-forms', 2);
    const doc = DynamoDBDocumentClient.from(dynamo.client);
    const put = (Item: Record<string, unknown>) => doc.send(new PutCommand({ TableName: dynamo.tableNames.events, Item }));
    await put({ ...older[0]!, [FIRST_COMMITS_INDEX.partitionKey.name]: FIRST_COMMIT_MARK }); // events as a list of maps
    await put({ ...older[1]!, events: JSON.stringify(older[1]!.events) }); // events as one JSON string
    const s = store();
    const newer = await s.append('rotation#older-forms', 2, {
      commandId: 'newer', actor, at: at(5), prevHash: older[1]!.hash,
      events: [{ seq: 3, type: 'incremented', schemaVersion: 1, data: { by: 3 } }],
    });
    const read = await s.readStream('rotation#older-forms');
    expect(read).toEqual([...older, newer]);
    expect(verifyChain(read)).toBeNull();
    expect(await s.readStream('rotation#older-forms', { fromVersion: 2 })).toEqual([older[1], newer]);
    expect(await s.readCommit('rotation#older-forms', 1)).toEqual(older[0]);
    expect(await s.listStreamIds()).toContain('rotation#older-forms');
    // An edited older item still breaks the chain where it was edited.
    await put({ ...older[1]!, events: JSON.stringify([{ ...older[1]!.events[0], data: { by: 99 } }]) });
    expect(verifyChain(await s.readStream('rotation#older-forms'))?.version).toBe(2);
  });

  it('reads the stored item back from a DynamoDB Streams record, in every parser of those records', async () => {
    const [first, second] = await appendMany(store(), 'rotation#streamed', 2);
    const recordOf = async (version: number): Promise<DynamoDBRecord> => {
      const Key = { streamId: { S: 'rotation#streamed' }, version: { N: String(version) } };
      const { Item } = await dynamo.client.send(new GetItemCommand({ TableName: dynamo.tableNames.events, Key }));
      return { eventName: 'INSERT', dynamodb: { Keys: Key, NewImage: Item as never, SequenceNumber: String(version), StreamViewType: 'NEW_IMAGE' } };
    };
    for (const [i, commit] of [first!, second!].entries()) {
      const record = await recordOf(i + 1);
      expect(parseStreamRecord(record)).toEqual({ kind: 'commit', sequenceNumber: String(i + 1), commit });
      expect(commitOfRecord(record)).toEqual(commit);
      expect(keysOfStreamRecord(record)).toEqual({ streamId: 'rotation#streamed', version: i + 1 });
    }
    const damaged = await recordOf(2);
    damaged.dynamodb!.NewImage!.commit = { S: '{not json' };
    expect(parseStreamRecord(damaged)).toMatchObject({ kind: 'malformed', streamId: 'rotation#streamed' });
    expect(() => commitOfRecord(damaged)).toThrow(/no readable commit/);
  });

  it('reads an item whose packed version disagrees with its key as an error, never as another commit', async () => {
    const [written] = await appendMany(store(), 'rotation#moved', 1);
    await dynamo.client.send(new PutItemCommand({
      TableName: dynamo.tableNames.events, Item: { ...itemOfCommit(written!), version: { N: '2' } },
    }));
    await expect(store().readCommit('rotation#moved', 2)).rejects.toThrow(/at version 2 holds version 1/);
  });

  it('still lists the streams of a table made before the first-commits index (an old local data folder)', async () => {
    await dynamo.client.send(new CreateTableCommand(createTableInput({ ...EVENTS_TABLE, indexes: [] }, 'rotation-events-before-index')));
    // As on AWS, a new table takes writes once ACTIVE (dynalite's is after a turn of the event loop).
    while ((await dynamo.client.send(new DescribeTableCommand({ TableName: 'rotation-events-before-index' }))).Table?.TableStatus !== 'ACTIVE') {
      await new Promise((r) => setTimeout(r, 5));
    }
    const old = createDynamoEventStore({ client: dynamo.client, tableName: 'rotation-events-before-index' });
    await appendMany(old, 'rotation#old-a', 2);
    await appendMany(old, 'rotation#old-b', 1);
    expect((await old.listStreamIds()).sort()).toEqual(['rotation#old-a', 'rotation#old-b']);
  });
});
