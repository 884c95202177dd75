import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor, RotationCommand } from '../../src/aggregates/rotation';
import { PROJECTION_CHECKPOINTS_TABLE, streamIdFor } from '../../src/eventstore/tables';
import { catchUpProjections, rebuildProjections } from '../../src/projections';
import { applyCommits } from '../../src/projections/applyCommits';
import { documentClient } from '../../src/eventstore/dynamo';
import { POPULAR_SONGS_PROJECTION } from '../../src/projections/popularSongsProjection';
import { createDynamoBookStore } from '../../src/songbook/bookStore';
import { foldText } from '../../src/songbook/songs';
import { withEmbeddedDynamo } from '../support/dynamo';
import { fixtureOn, KJ, minute, tune } from './support';

const dynamo = withEmbeddedDynamo();
const singer = (id: string): Actor => ({ id, role: 'singer' });

/** "Popular at this venue" is built from completed turns by the projections, never from requests. */
describe('popular songs projection', () => {
  it('counts a book song once per completed turn: not requests, not forfeits, not a replay, not a rebuild', async () => {
    const { store, models, service } = fixtureOn(dynamo);
    const books = createDynamoBookStore({ client: dynamo.client, tableName: dynamo.tableNames.songbook });
    const sungAt = (venue: string) => books.sungAt(KJ.id, foldText(venue), 10);
    const rotationId = 'popular-night';
    let step = 0;
    const run = async (command: RotationCommand) => {
      const outcome = await service.execute(rotationId, command, `${rotationId}-${++step}`);
      if (outcome.kind !== 'accepted') throw new Error(`${command.type} was rejected: ${JSON.stringify(outcome)}`);
    };
    const at = () => minute(step);
    await run({ type: 'OpenRotation', rotationId, venue: 'Café Ōsaka', settings: { autoAdvance: false }, actor: KJ, at: at() });
    // Amy and Bo both request the book's Jolene; Cy types a song of his own; Amy also queues Valerie.
    await run({ type: 'JoinRotation', singerId: 'amy', displayName: 'Amy', songId: 'amy-1', song: tune('Jolene'), bookSongId: 'b-jolene', actor: singer('amy'), at: at() });
    await run({ type: 'JoinRotation', singerId: 'bo', displayName: 'Bo', songId: 'bo-1', song: tune('Jolene'), bookSongId: 'b-jolene', actor: singer('bo'), at: at() });
    await run({ type: 'JoinRotation', singerId: 'cy', displayName: 'Cy', songId: 'cy-1', song: tune('Own'), actor: singer('cy'), at: at() });
    await run({ type: 'QueueSong', singerId: 'amy', songId: 'amy-2', song: tune('Valerie'), bookSongId: 'b-valerie', actor: singer('amy'), at: at() });
    const sing = async (turnId: string) => {
      await run({ type: 'CallNext', turnId, actor: KJ, at: at() });
      await run({ type: 'StartTurn', turnId, actor: KJ, at: at() });
      await run({ type: 'CompleteTurn', turnId, actor: KJ, at: at() });
    };
    await sing('t1'); // amy: Jolene
    await run({ type: 'CallNext', turnId: 't2', actor: KJ, at: at() }); // bo: Jolene, a no-show
    await run({ type: 'ForfeitTurn', turnId: 't2', actor: { id: 'wf', role: 'system' }, at: at() });
    await sing('t3'); // cy: his own song, not from the book
    await run({ type: 'CloseRotation', actor: KJ, at: at() }); // Valerie is never sung

    const first = await catchUpProjections({ store, projections: models.projections });
    expect(first.failures).toEqual([]);
    const expected = [{ bookSongId: 'b-jolene', sung: 1 }];
    expect(await sungAt('cafe osaka')).toEqual(expected);

    // Every commit delivered again, applied from a stale position (a Lambda retry with an old remembered
    // checkpoint): the counter's guard refuses the second ADD, the checkpoint's condition the rest.
    const commits = (await service.read(rotationId))!.commits;
    const projection = models.projections.find((p) => p.name === POPULAR_SONGS_PROJECTION)!;
    const stale = { streamId: streamIdFor(rotationId), version: 0, lastSeq: 0, kjId: '', venue: '', bookSongs: {} };
    await applyCommits(projection, store, streamIdFor(rotationId), commits, { from: stale });
    expect(await sungAt('cafe osaka')).toEqual(expected);

    // The checkpoint is lost (or trails): the whole stream is applied again from version 0, and the guards hold.
    const doc = documentClient(dynamo.client);
    await doc.send(
      new DeleteCommand({
        TableName: dynamo.tableNames.projectionCheckpoints,
        Key: { [PROJECTION_CHECKPOINTS_TABLE.partitionKey.name]: POPULAR_SONGS_PROJECTION, [PROJECTION_CHECKPOINTS_TABLE.sortKey.name]: streamIdFor(rotationId) },
      }),
    );
    const replay = await catchUpProjections({ store, projections: models.projections });
    expect(replay.applied[POPULAR_SONGS_PROJECTION]).toBe(commits.length);
    expect(await sungAt('Cafe Osaka')).toEqual(expected);

    // A rebuild empties the counters first, then counts again from the table: the same numbers.
    const rebuilt = await rebuildProjections({ store, projections: models.projections });
    expect(rebuilt.failures).toEqual([]);
    expect(rebuilt.cleared[POPULAR_SONGS_PROJECTION]).toBeGreaterThan(0);
    expect(await sungAt('CAFÉ ŌSAKA')).toEqual(expected);
  });
});
