import type { DynamoDBStreamEvent } from 'aws-lambda';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredCommit } from '../../src/eventstore/commit';
import { documentClient } from '../../src/eventstore/dynamo';
import type { EventStore } from '../../src/eventstore/store';
import { streamIdFor } from '../../src/eventstore/tables';
import { streamRecordOf } from '../../src/local/streamFeed';
import { createProjectionStreamHandler, rebuildProjections } from '../../src/projections';
import { historyKeyOf } from '../../src/projections/singerHistoryProjection';
import { readQueueViewState } from '../../src/projections/queueViewProjection';
import { createDynamoBookStore } from '../../src/songbook/bookStore';
import { foldText } from '../../src/songbook/songs';
import { withEmbeddedDynamo } from '../support/dynamo';
import { fixtureOn, KJ, playScriptedNight, snapshotReadModels } from './support';

const dynamo = withEmbeddedDynamo();
const batch = (commits: readonly StoredCommit[]): DynamoDBStreamEvent => ({ Records: commits.map(streamRecordOf) });
const completions = (commits: readonly StoredCommit[]) => commits.filter((c) => c.events.some((e) => e.type === 'TurnCompleted'));

describe('a rebuild racing the live projector', () => {
  it('neither loses nor double counts what the live projector applies between the rebuild reading a stream and writing it', async () => {
    const { store, models, service } = fixtureOn(dynamo);
    const live = createProjectionStreamHandler({ projections: models.projections, store, log: () => {} });
    const rotationId = 'race-night';
    const streamId = streamIdFor(rotationId);
    // Amy and Bo both sing the book's song: Amy's turn early in the night, Bo's in its last commits.
    const commits = await playScriptedNight(service, rotationId);
    const lastCompletion = completions(commits).at(-1)!;
    const early = commits.filter((c) => c.version < lastCompletion.version);
    const late = commits.filter((c) => c.version >= lastCompletion.version);

    // The live projector has the early commits (and remembers where each read model stood).
    await live(batch(early));
    // The rebuild empties the read models and reads the stream while it holds only the early commits; the late
    // ones are appended and delivered live before the rebuild writes what it read.
    const racing: Pick<EventStore, 'listStreamIds' | 'readStream' | 'readCommit'> = {
      listStreamIds: () => store.listStreamIds(),
      readCommit: (id, version) => store.readCommit(id, version),
      async readStream(id, options) {
        if (id !== streamId || options?.fromVersion !== undefined) return store.readStream(id, options);
        const response = await live(batch(late));
        expect(response.batchItemFailures).toEqual([]);
        return early;
      },
    };
    const report = await rebuildProjections({ store: racing, projections: models.projections });
    expect(report.failures).toEqual([]);

    // Both book performances counted once, both singers' performances listed once, the view at the head.
    const books = createDynamoBookStore({ client: dynamo.client, tableName: dynamo.tableNames.songbook });
    expect(await books.sungAt(KJ.id, foldText('The Blue Room'), 10)).toEqual([{ bookSongId: 'book-hit', sung: 2 }]);
    for (const singerId of ['amy', 'bo', 'cy']) {
      const performed = completions(commits).flatMap((c) => c.events.filter((e) => e.type === 'TurnCompleted' && (e.data as { singerId: string }).singerId === singerId));
      expect((await models.history.performances(singerId)).map((p) => p.completedAt)).toEqual(performed.map((e) => (e.data as { completedAt: string }).completedAt));
    }
    expect((await readQueueViewState(documentClient(dynamo.client), rotationId, dynamo.tableNames.queueView))?.version).toBe(commits.at(-1)!.version);

    // And all of it as a rebuild with nothing racing it makes it.
    const raced = await snapshotReadModels(dynamo);
    expect((await rebuildProjections({ store, projections: models.projections })).failures).toEqual([]);
    expect(await snapshotReadModels(dynamo)).toEqual(raced);
  });

  it('the history still lists performances stored one per item (the earlier layout), once each', async () => {
    const { store, models, service } = fixtureOn(dynamo);
    const commits = await playScriptedNight(service, 'legacy-night');
    const amy = completions(commits).flatMap((c) => c.events).find((e) => e.type === 'TurnCompleted' && (e.data as { singerId: string }).singerId === 'amy')!;
    const { turnId, song, startedAt, completedAt, durationSeconds } = amy.data as { turnId: string; song: { title: string; artist: string }; startedAt: string; completedAt: string; durationSeconds: number };
    const legacy = { singerId: 'amy', performanceKey: `${completedAt}#legacy-night#${turnId}`, rotationId: 'legacy-night', venue: 'The Blue Room', song, startedAt, completedAt, durationSeconds, turnId, seq: amy.seq };
    const doc = documentClient(dynamo.client);
    await doc.send(new PutCommand({ TableName: dynamo.tableNames.singerHistory, Item: legacy }));
    const listedFor = async () => (await models.history.performances('amy')).filter((p) => p.rotationId === 'legacy-night');
    const performance = { rotationId: 'legacy-night', venue: 'The Blue Room', song, startedAt, completedAt, durationSeconds };
    expect(await listedFor()).toEqual([performance]);

    // The same performance applied again under the new layout (a commit re-delivered after the upgrade): once.
    const handler = createProjectionStreamHandler({ projections: models.projections, store, log: () => {} });
    await handler(batch(commits));
    expect(await listedFor()).toEqual([performance]);
    expect(historyKeyOf('legacy-night', amy.seq)).toBe('legacy-night#0');
  });

  it('the history reads items of the list layout (before the packed one), and a merge into one rewrites it packed', async () => {
    const { store, models, service } = fixtureOn(dynamo);
    const commits = await playScriptedNight(service, 'listed-night');
    const amy = completions(commits)
      .flatMap((c) => c.events)
      .filter((e) => e.type === 'TurnCompleted' && (e.data as { singerId: string }).singerId === 'amy');
    expect(amy.length).toBeGreaterThan(0);
    // Amy's item as the list layout held it before her last performance: one JSON string per performance.
    const entryOf = (e: (typeof amy)[number]) => {
      const { turnId, song, startedAt, completedAt, durationSeconds } = e.data as Record<string, unknown>;
      return JSON.stringify({ seq: e.seq, turnId, song, startedAt, completedAt, durationSeconds });
    };
    const Key = { singerId: 'amy', performanceKey: historyKeyOf('listed-night', amy[0]!.seq) };
    const doc = documentClient(dynamo.client);
    const TableName = dynamo.tableNames.singerHistory;
    await doc.send(new PutCommand({ TableName, Item: { ...Key, rotationId: 'listed-night', venue: 'The Blue Room', performances: amy.slice(0, -1).map(entryOf) } }));
    const listedFor = async () => (await models.history.performances('amy')).filter((p) => p.rotationId === 'listed-night').map((p) => p.completedAt);
    const completedAt = amy.map((e) => (e.data as { completedAt: string }).completedAt);
    expect(await listedFor()).toEqual(completedAt.slice(0, -1));

    // The night delivered live: the listed performances merge with the new one, each once, into the packed layout.
    const handler = createProjectionStreamHandler({ projections: models.projections, store, log: () => {} });
    expect((await handler(batch(commits))).batchItemFailures).toEqual([]);
    expect(await listedFor()).toEqual(completedAt);
    const { Item } = await doc.send(new GetCommand({ TableName, Key, ConsistentRead: true }));
    expect(Item).toEqual({ ...Key, rotationId: 'listed-night', venue: 'The Blue Room', count: amy.length, entries: `[${amy.map(entryOf).join(',')}]` });
  });
});
