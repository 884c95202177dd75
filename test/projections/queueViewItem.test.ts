import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { isRejection } from '../../src/aggregates/decider';
import { rotationDecider, type RotationCommand, type RotationState } from '../../src/aggregates/rotation';
import type { StoredCommit } from '../../src/eventstore/commit';
import { itemSizeBytes } from '../../src/eventstore/store';
import { documentClient } from '../../src/projections/dynamo';
import { ReadModelTooLargeError } from '../../src/projections/errors';
import { createQueueViewProjection, MAX_QUEUE_VIEW_ITEM_BYTES } from '../../src/projections/queueViewProjection';
import { withEmbeddedDynamo } from '../support/dynamo';
import { foldCommits, KJ, minute } from './support';

const dynamo = withEmbeddedDynamo();

/** A night's commits built in memory (the projection applies commits; it does not need them stored). */
const crowdedNight = (rotationId: string, singers: number, songText: (i: number, n: number) => string): StoredCommit[] => {
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
  run({ type: 'OpenRotation', rotationId, venue: 'Stadium', settings: { maxPendingSongs: 10 }, actor: KJ, at: minute(0) });
  for (let i = 0; i < singers; i++) {
    const actor = { id: `singer-${i}`, role: 'singer' as const };
    const song = (n: number) => ({ title: songText(i, n), artist: songText(i, n + 100) });
    run({ type: 'JoinRotation', singerId: actor.id, displayName: `Singer number ${i}`, songId: `s${i}-0`, song: song(0), actor, at: minute(1) });
    for (let n = 1; n < 10; n++) run({ type: 'QueueSong', singerId: actor.id, songId: `s${i}-${n}`, song: song(n), actor, at: minute(2) });
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

  it('refuses, with a typed error and without writing, a state that would not fit with room to spare', async () => {
    const doc = documentClient(dynamo.client);
    const projection = createQueueViewProjection(doc, dynamo.tableNames.queueView);
    // Random text does not compress: 150 singers × 10 songs × 2 × 200 characters is ~600 KB.
    const commits = crowdedNight('overfull', 150, () => randomBytes(150).toString('base64'));
    const from = await projection.load('rotation#overfull');
    const refused = projection.apply(from, commits);
    await expect(refused).rejects.toBeInstanceOf(ReadModelTooLargeError);
    await expect(refused).rejects.toMatchObject({ code: 'read-model-too-large', limitBytes: MAX_QUEUE_VIEW_ITEM_BYTES });
    expect((await projection.load('rotation#overfull')).version).toBe(0);
  });
});
