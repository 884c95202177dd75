import { sealCommit, type StoredCommit } from '../../src/eventstore/commit';
import type { EventStore } from '../../src/eventstore/store';
import type { DynamoDBRecord } from 'aws-lambda';
import { commitOfRecord } from '../../src/eventbus/streamPublisher';
import { parseStreamRecord } from '../../src/projections/streamRecord';
import { createLocalStreamFeed, streamRecordOf } from '../../src/local/streamFeed';

const commitAt = (version: number): StoredCommit =>
  sealCommit('rotation#rush', version, {
    commandId: `c${version}`,
    actor: { id: 'amy', role: 'singer' },
    at: '2026-12-02T20:00:00.000Z',
    events: [{ seq: version, type: 'SkipRequested', schemaVersion: 1, data: { singerId: 'amy' } }],
    prevHash: '0'.repeat(64),
  });

describe('the local stream feed', () => {
  it('pipelined: commits that pile up while a delivery runs reach the consumer as one batch, in order; each is delivered before `delivered` resolves', async () => {
    const inner = { append: async (_s: string, expected: number) => commitAt(expected + 1) } as unknown as EventStore;
    const feed = createLocalStreamFeed(inner, () => {});
    const batches: number[][] = [];
    const background: number[] = [];
    let release!: () => void;
    const firstHeld = new Promise<void>((resolve) => (release = resolve));
    feed.subscribe({
      name: 'read-models',
      awaited: true,
      consumer: async ({ Records }) => {
        batches.push(Records.map((r) => Number(r.dynamodb!.Keys!.version!.N)));
        if (batches.length === 1) await firstHeld;
      },
    });
    feed.subscribe({ name: 'live', consumer: async ({ Records }) => void background.push(...Records.map((r) => Number(r.dynamodb!.Keys!.version!.N))) });

    const commits = [];
    for (let v = 0; v < 4; v++) commits.push(await feed.pipelined.append('rotation#rush', v, commitAt(v + 1)));
    const delivered = commits.map((c) => feed.delivered(c).then(() => batches.flat().includes(c.version)));
    release();
    expect(await Promise.all(delivered)).toEqual([true, true, true, true]);
    await feed.drain();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    expect(background).toEqual([1, 2, 3, 4]);
  });

  it('every subscriber gets one record per commit, which hands consumers in this process the commit itself and still reads as the stream record', async () => {
    const inner = { append: async (_s: string, expected: number) => commitAt(expected + 1) } as unknown as EventStore;
    const feed = createLocalStreamFeed(inner, () => {});
    const seen: DynamoDBRecord[][] = [];
    for (const name of ['read-models', 'live']) {
      feed.subscribe({ name, awaited: name === 'read-models', consumer: async ({ Records }) => void seen.push(Records) });
    }
    const commit = await feed.store.append('rotation#rush', 0, commitAt(1));
    await feed.drain();
    const [first, second] = seen.map((records) => records[0]!);
    expect(first).toBe(second);
    expect(parseStreamRecord(first!)).toMatchObject({ kind: 'commit', commit });
    expect(commitOfRecord(first!)).toBe(commit);
    // A consumer that reads the image itself finds what DynamoDB Streams would carry.
    const plain = streamRecordOf(commit).dynamodb!;
    expect(first!.dynamodb).toMatchObject({ Keys: plain.Keys, NewImage: plain.NewImage });
    expect(parseStreamRecord({ ...first!, dynamodb: { ...first!.dynamodb } })).toMatchObject({ kind: 'commit', commit: { version: 1, hash: commit.hash } });
  });
});
