import { randomBytes } from 'node:crypto';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { isRejection } from '../../src/aggregates/decider';
import { rotationDecider, type RotationCommand, type RotationState } from '../../src/aggregates/rotation';
import type { StoredCommit } from '../../src/eventstore/commit';
import { itemSizeBytes } from '../../src/eventstore/dynamo';
import { documentClient } from '../../src/eventstore/dynamo';
import { ReadModelTooLargeError } from '../../src/projections/errors';
import { createQueueViewProjection, createQueueViewReader, PART_BYTES, readQueueViewState } from '../../src/projections/queueViewProjection';
import { createProjectionStreamHandler } from '../../src/projections/streamHandler';
import { streamRecordOf } from '../../src/local/streamFeed';
import { withEmbeddedDynamo } from '../support/dynamo';
import { foldCommits, KJ, minute } from './support';

const dynamo = withEmbeddedDynamo();

/** A night's commits built in memory (the projection applies commits; it does not need them stored). */
const crowdedNight = (rotationId: string, singers: number, songText: (i: number, n: number) => string, songsEach = 10): StoredCommit[] => {
  let state: RotationState = rotationDecider.initialState;
  let seq = 0;
  const commits: StoredCommit[] = [];
  const run = (command: RotationCommand) => {
    const events = rotationDecider.decide(command, state);
    if (isRejection(events)) throw new Error(`${command.type} rejected: ${events.code}`);
    for (const e of events) state = rotationDecider.evolve(state, e);
    commits.push({
      streamId: `rotation#${rotationId}`, version: commits.length + 1, commandId: `c${commits.length + 1}`, actor: command.actor, at: command.at,
      prevHash: '', hash: '', events: events.map((e) => ({ seq: ++seq, type: e.type, schemaVersion: 1, data: e.data })),
    });
  };
  run({ type: 'OpenRotation', rotationId, venue: 'Stadium', settings: { maxPendingSongs: 10, maxSingers: 500 }, actor: KJ, at: minute(0) });
  for (let i = 0; i < singers; i++) {
    const actor = { id: `singer-${i}`, role: 'singer' as const };
    const song = (n: number) => ({ title: songText(i, n), artist: songText(i, n + 100) });
    run({ type: 'JoinRotation', singerId: actor.id, displayName: `Singer number ${i}`, songId: `s${i}-0`, song: song(0), actor, at: minute(1) });
    for (let n = 1; n < songsEach; n++) run({ type: 'QueueSong', singerId: actor.id, songId: `s${i}-${n}`, song: song(n), actor, at: minute(2) });
  }
  return commits;
};

describe('the queue view item', () => {
  it('holds a crowded night compressed, far below the item limit, and reads back as the same state', async () => {
    const doc = documentClient(dynamo.client);
    const projection = createQueueViewProjection(doc, dynamo.tableNames.queueView);
    // 150 singers with 10 songs each, titles and artists of about 40 characters: ~200 KB of state as JSON.
    const commits = crowdedNight('crowded', 150, (i, n) => `A fairly long song title number ${n} of ${i}`);
    expect(JSON.stringify(foldCommits(commits)).length).toBeGreaterThan(200_000);

    await projection.apply(await projection.load('rotation#crowded'), commits);
    const { Item } = await doc.send(new GetCommand({ TableName: dynamo.tableNames.queueView, Key: { rotationId: 'crowded' } }));
    expect(itemSizeBytes(Item!)).toBeLessThan(40_000);
    expect((await projection.load('rotation#crowded')).state).toEqual(foldCommits(commits));
  });

  it('splits a state too big for one item into parts, and reads it back as the same state', async () => {
    const doc = documentClient(dynamo.client);
    const projection = createQueueViewProjection(doc, dynamo.tableNames.queueView);
    // Random text does not compress: 150 singers × 10 songs × 2 × 200 characters is ~600 KB.
    const commits = crowdedNight('overfull', 150, () => randomBytes(150).toString('base64'));
    const written = await projection.apply(await projection.load('rotation#overfull'), commits);
    expect(written.parts).toBeGreaterThan(1);
    expect((await projection.load('rotation#overfull')).state).toEqual(foldCommits(commits));
    expect(await readQueueViewState(doc, 'overfull', dynamo.tableNames.queueView)).toMatchObject({ version: commits.length });
  });

  it('refuses, with a typed error and without writing, a state beyond its parts', async () => {
    const doc = documentClient(dynamo.client);
    const projection = createQueueViewProjection(doc, dynamo.tableNames.queueView, { maxParts: 1 });
    const commits = crowdedNight('too-big', 150, () => randomBytes(150).toString('base64'));
    const refused = projection.apply(await projection.load('rotation#too-big'), commits);
    await expect(refused).rejects.toBeInstanceOf(ReadModelTooLargeError);
    await expect(refused).rejects.toMatchObject({ code: 'read-model-too-large', limitBytes: PART_BYTES });
    expect((await projection.load('rotation#too-big')).version).toBe(0);
  });

  it('a rotation of 500 singers with three 200-character songs each keeps its queue view current, commit after commit', async () => {
    const doc = documentClient(dynamo.client);
    const projection = createQueueViewProjection(doc, dynamo.tableNames.queueView);
    const handler = createProjectionStreamHandler({ projections: [projection], store: { readStream: async () => [] }, log: (f) => { throw new Error(JSON.stringify(f)); } });
    const title = (i: number, n: number) => `${i}-${n} ${randomBytes(150).toString('base64')}`.slice(0, 200);
    const commits = crowdedNight('stadium', 500, title, 3);
    // Delivered as a shard would: in batches, each applied in one write.
    for (let i = 0; i < commits.length; i += 100) {
      expect(await handler({ Records: commits.slice(i, i + 100).map(streamRecordOf) })).toEqual({ batchItemFailures: [] });
    }
    const view = await createQueueViewReader(doc, dynamo.tableNames.queueView).read('stadium', minute(3));
    expect(view).toMatchObject({ version: commits.length, status: 'open' });
    expect(view!.singers).toHaveLength(500);
    expect(view!.singers.every((s) => s.pendingSongs === 3)).toBe(true);
    expect(view!.upcoming[0]!.song.title).toHaveLength(200);
    // Only the newest version's parts are kept.
    const { Items } = await doc.send(new ScanCommand({ TableName: dynamo.tableNames.queueView, ProjectionExpression: 'rotationId' }));
    const keys = Items!.map((i) => i.rotationId as string).filter((k) => k.startsWith('stadium'));
    expect(keys.length).toBeGreaterThan(1); // its state is in parts
    expect(keys.filter((k) => k !== 'stadium').every((k) => k.startsWith(`stadium#v${commits.length}#`))).toBe(true);
  }, 60_000);
});
