import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createLocalStreamFeed } from '../../src/local/streamFeed';
import { createProjectionStreamHandler } from '../../src/projections';
import { documentClient } from '../../src/eventstore/dynamo';
import { historyKeyOf } from '../../src/projections/singerHistoryProjection';
import { createRotationService } from '../../src/eventstore/rotationService';
import { withEmbeddedDynamo } from '../support/dynamo';
import { createDynamoBookStore, popularKey } from '../../src/songbook/bookStore';
import { foldText } from '../../src/songbook/songs';
import { fixtureOn, KJ, playScriptedNight, snapshotReadModels } from '../projections/support';
import { cli } from './support';

const dynamo = withEmbeddedDynamo();

/** The scripted nights' "popular at this venue" counts, as the popular route reads them. */
const sungAtBlueRoom = () => createDynamoBookStore({ client: dynamo.client, tableName: dynamo.tableNames.songbook }).sungAt(KJ.id, foldText('The Blue Room'), 10);

describe('rotation rebuild', () => {
  it('replaces damaged read models with ones rebuilt from the event table, and reports what it did', async () => {
    const { store, models } = fixtureOn(dynamo);
    const feed = createLocalStreamFeed(store);
    feed.subscribe({ name: 'projections', awaited: true, consumer: createProjectionStreamHandler({ projections: models.projections, store }) });
    const service = createRotationService({ store: feed.store });
    const nights = [];
    for (const id of ['fri', 'sat', 'sun']) nights.push(await playScriptedNight(service, id));
    const live = await snapshotReadModels(dynamo);

    // Both book singers sang the same song on each of the 3 nights at the same venue.
    expect(await sungAtBlueRoom()).toEqual([{ bookSongId: 'book-hit', sung: 6 }]);

    // Damage: a performance lost, a stray one added, a queue view gone, a song counted twice.
    const doc = documentClient(dynamo.client);
    const cyOnSat = nights[1]!.flatMap((c) => c.events).find((e) => e.type === 'TurnCompleted' && (e.data as { singerId: string }).singerId === 'cy')!;
    // Cy sang once on Saturday: the item listing his Saturday performances holds just that one.
    await doc.send(new DeleteCommand({ TableName: dynamo.tableNames.singerHistory, Key: { singerId: 'cy', performanceKey: historyKeyOf('sat', cyOnSat.seq) } }));
    await doc.send(new PutCommand({ TableName: dynamo.tableNames.singerHistory, Item: { singerId: 'zed', performanceKey: 'bogus' } }));
    await doc.send(new DeleteCommand({ TableName: dynamo.tableNames.queueView, Key: { rotationId: 'sun' } }));
    await doc.send(new UpdateCommand({ TableName: dynamo.tableNames.songbook, Key: { bookKey: popularKey(KJ.id, foldText('The Blue Room')), part: 'book-hit' }, UpdateExpression: 'ADD sung :one', ExpressionAttributeValues: { ':one': 1 } }));
    expect(await snapshotReadModels(dynamo)).not.toEqual(live);

    const { code, stdout, stderr } = await cli(dynamo, ['rebuild']);
    expect(code).toBe(0);
    expect(await snapshotReadModels(dynamo)).toEqual(live);
    expect(await sungAtBlueRoom()).toEqual([{ bookSongId: 'book-hit', sung: 6 }]);
    const commits = nights.flat().length;
    const events = nights.flat().reduce((n, c) => n + c.events.length, 0);
    expect(stdout).toMatch(new RegExp(
      [
        `^Rebuilt queue-view, singer-history and popular-songs from DynamoDB at ${dynamo.endpoint.replace(/[.]/g, '\\.')} \\(rotation-events\\):`,
        '  streams  3',
        `  commits  ${commits}`,
        `  events   ${events}`,
        // 2 queue items left + 9 singer-night items (1 lost, 1 stray) + 3 checkpoints; 1 counter + 3 checkpoints.
        '  cleared  queue-view 2 items, singer-history 12 items, popular-songs 4 items',
        `  applied  queue-view ${commits} commits, singer-history ${commits} commits, popular-songs ${commits} commits`,
        '  took     \\d+\\.\\d\\d s \\([\\d,]+ events/s\\)',
        '$',
      ].join('\n'),
    ));
    // Progress goes to stderr, so stdout stays the report; not a terminal: whole lines, no redraws.
    expect(stderr).not.toContain('\r');
    expect(stderr.trim().split('\n').at(-1)).toBe(`rebuilding: 100% (3/3 streams, ${commits} commits, ${events} events)`);
  });

  it('on a terminal, redraws one progress line in place', async () => {
    const { code, stderr } = await cli(dynamo, ['rebuild'], { tty: true });
    expect(code).toBe(0);
    expect(stderr).toMatch(/^\rrebuilding \[-{30}\]   0%  0\/3 streams/);
    expect(stderr).toMatch(/\rrebuilding \[#{30}\] 100%  3\/3 streams, [\d,]+ commits, [\d,]+ events\x1b\[K\n$/);
  });
});
