import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { GENESIS_HASH, commitHash, verifyChain, type NewCommit, type StoredCommit } from '../../src/eventstore/commit';
import { CommitTooLargeError, ConcurrencyError } from '../../src/eventstore/errors';
import { MAX_ITEM_BYTES, createDynamoEventStore, itemSizeBytes, type EventStore } from '../../src/eventstore/store';
import { withEmbeddedDynamo } from '../support/dynamo';

const dynamo = withEmbeddedDynamo();
const store = (): EventStore => createDynamoEventStore({ client: dynamo.client, tableName: dynamo.tableNames.events });

const actor = { id: 'kj-1', role: 'kj' };
const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 20, minute)).toISOString();

/** Appends n one-event commits to a stream the way the command handler would (seq and prevHash chained). */
const appendMany = async (s: EventStore, streamId: string, n: number): Promise<StoredCommit[]> => {
  const commits: StoredCommit[] = [];
  for (let i = 0; i < n; i++) {
    const prev = commits.at(-1);
    const commit: NewCommit = {
      commandId: `${streamId}-cmd-${i + 1}`,
      actor,
      at: at(i),
      events: [{ seq: i + 1, type: 'incremented', schemaVersion: 1, data: { by: i + 1, note: 'é ♪', nested: { list: [1, true, null] } } }],
      prevHash: prev?.hash ?? GENESIS_HASH,
    };
    commits.push(await s.append(streamId, i, commit));
  }
  return commits;
};

describe('DynamoDB event store', () => {
  it('reads back exactly what it appended, in version order, with a hash an auditor can recompute', async () => {
    const written = await appendMany(store(), 'rotation#round-trip', 5);
    const read = await store().readStream('rotation#round-trip');
    expect(read).toEqual(written);
    expect(read.map((c) => c.version)).toEqual([1, 2, 3, 4, 5]);
    expect(read.every((c) => commitHash(c) === c.hash)).toBe(true);
    expect(verifyChain(read)).toBeNull();
    expect(await store().readCommit('rotation#round-trip', 3)).toEqual(written[2]);
    expect(await store().readCommit('rotation#round-trip', 6)).toBeNull();
    expect(await store().readStream('rotation#never-written')).toEqual([]);
  });

  it('reads a stream as it stood at a version or a time', async () => {
    await appendMany(store(), 'rotation#as-of', 6);
    const s = store();
    expect((await s.readStream('rotation#as-of', { toVersion: 4 })).map((c) => c.version)).toEqual([1, 2, 3, 4]);
    expect((await s.readStream('rotation#as-of', { fromVersion: 3 })).map((c) => c.version)).toEqual([3, 4, 5, 6]);
    expect((await s.readStream('rotation#as-of', { fromVersion: 2, toVersion: 3 })).map((c) => c.version)).toEqual([2, 3]);
    // Commit i was at minute i-1: at 20:02:30 three commits existed.
    expect((await s.readStream('rotation#as-of', { toTime: '2025-01-01T20:02:30Z' })).map((c) => c.version)).toEqual([1, 2, 3]);
    expect((await s.readStream('rotation#as-of', { toTime: new Date(Date.UTC(2025, 0, 1, 20, 2)) })).map((c) => c.version)).toEqual([1, 2, 3]);
    expect(await s.readStream('rotation#as-of', { toTime: '2025-01-01T19:00:00Z' })).toEqual([]);
  });

  it('pages through long streams and the whole table', async () => {
    // Count the Query and Scan requests made through a second client on the same server.
    const counting = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const calls = { QueryCommand: 0, ScanCommand: 0 };
    counting.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'QueryCommand' || context.commandName === 'ScanCommand') calls[context.commandName]++;
      return next(args);
    }, { step: 'initialize' });

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

      const ids = await createDynamoEventStore({ client: counting, tableName: dynamo.tableNames.events }).listStreamIds({ pageSize: 3 });
      expect(ids).toEqual(expect.arrayContaining(['rotation#scan-a', 'rotation#scan-b', 'rotation#big']));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(new Set(all.map((c) => c.streamId)).size);
    } finally {
      counting.destroy();
    }
  });

  it('refuses an append at a version that already exists', async () => {
    const s = store();
    const [first] = await appendMany(s, 'rotation#conflict', 1);
    const rival: NewCommit = { commandId: 'rival', actor, at: at(9), prevHash: GENESIS_HASH, events: [{ seq: 1, type: 'incremented', schemaVersion: 1, data: { by: 9 } }] };
    const error = await s.append('rotation#conflict', 0, rival).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ code: 'conflict', streamId: 'rotation#conflict', expectedVersion: 0 });
    expect(await s.readStream('rotation#conflict')).toEqual([first]);
  });

  it('refuses a commit over 400 KB before writing, and accepts one just under', async () => {
    const s = store();
    const commit = (note: string): NewCommit => ({ commandId: 'huge', actor, at: at(0), prevHash: GENESIS_HASH, events: [{ seq: 1, type: 'annotated', schemaVersion: 1, data: { note } }] });
    const error = await s.append('rotation#huge', 0, commit('♪'.repeat(140_000))).catch((e: unknown) => e); // 3 bytes each in UTF-8
    expect(error).toBeInstanceOf(CommitTooLargeError);
    expect(error).toMatchObject({ code: 'commit-too-large', limitBytes: MAX_ITEM_BYTES });
    expect((error as CommitTooLargeError).sizeBytes).toBeGreaterThan(420_000);
    expect((error as Error).message).toMatch(/too large .*limit is 400\.0 KB/);
    expect(await s.readStream('rotation#huge')).toEqual([]);

    const fits = await s.append('rotation#huge', 0, commit('a'.repeat(MAX_ITEM_BYTES - 1_000)));
    expect(fits.version).toBe(1);
  });

  it('never estimates an item smaller than DynamoDB (dynalite) counts it', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
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

  it('verifyChain finds the first edited, re-hashed or missing commit', async () => {
    const commits = await appendMany(store(), 'rotation#audit', 4);
    expect(verifyChain(commits)).toBeNull();

    const edited = commits.map((c) => ({ ...c }));
    edited[1] = { ...edited[1]!, events: [{ ...edited[1]!.events[0]!, data: { by: 1000 } }] };
    expect(verifyChain(edited)).toBe(edited[1]);

    // A forger who also recomputes the edited commit's hash breaks the next commit's prevHash.
    const rehashed = commits.map((c) => ({ ...c }));
    const forged = { ...rehashed[1]!, actor: { id: 'someone-else', role: 'kj' } };
    rehashed[1] = { ...forged, hash: commitHash(forged) };
    expect(verifyChain(rehashed)).toBe(rehashed[2]);

    const missing = [commits[0]!, commits[2]!, commits[3]!];
    expect(verifyChain(missing)).toBe(commits[2]);
  });
});
