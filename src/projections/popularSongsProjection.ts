/**
 * "Popular at this venue" from the performance history: each completed turn of a song taken from the KJ's book
 * adds 1 to that song's counter at the rotation's venue (`popular#<kjId>#<folded venue>` in the songbook table,
 * src/songbook/bookStore.ts). Requests, forfeits and skips count nothing.
 *
 * TurnCompleted does not say which book song it was, so the checkpoint carries the rotation's pending book songs
 * (songId → bookSongId, from SingerJoined / SongQueued), like the history's checkpoint carries the venue.
 *
 * An ADD is not idempotent and dynalite has no transactions, so the checkpoint alone cannot guard it (a crash
 * between the ADD and the checkpoint would count again). Each counter therefore also records, per rotation, the
 * seq of the last TurnCompleted it counted, and an ADD is conditional on a higher seq: a re-delivery, a replay
 * from a trailing checkpoint or a racing catch-up finds its seq already there and adds nothing.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PROJECTION_CHECKPOINTS_TABLE, SONGBOOK_TABLE, isRotationStream, rotationIdOf } from '../eventstore/tables';
import { POPULAR_KEY_PREFIX, POPULAR_SUNG_ATTRIBUTE, popularKey } from '../songbook/bookStore';
import { foldText } from '../songbook/songs';
import { createCheckpointStore } from './checkpoints';
import { deleteItems, isConditionFailed } from '../eventstore/dynamo';
import { CHECKPOINT_LAG_VERSIONS } from './singerHistoryProjection';
import { checkpointAfter, eventsAfter, type Checkpoint, type Projection } from './projection';
import { toRotationEvent } from '../eventstore/domainEvents';

export const POPULAR_SONGS_PROJECTION = 'popular-songs';

export interface PopularSongsPosition extends Checkpoint {
  readonly kjId: string;
  /** Folded (src/songbook/songs.ts foldText), as the popular route looks it up. */
  readonly venue: string;
  /** Songs from the book that are queued and not yet sung: songId → bookSongId. */
  readonly bookSongs: Readonly<Record<string, string>>;
  /** The version its stored checkpoint holds, which may trail `version`. */
  readonly stored?: number;
}

const { partitionKey: PK, sortKey: SK } = SONGBOOK_TABLE;
/** The per-rotation guard attribute on a counter item. */
const guardAttribute = (rotationId: string) => `rotation#${rotationId}`;

export const createPopularSongsProjection = (
  doc: DynamoDBDocumentClient,
  tables: { readonly songbook?: string; readonly checkpoints?: string } = {},
): Projection<PopularSongsPosition> => {
  const tableName = tables.songbook ?? SONGBOOK_TABLE.tableName;
  const checkpoints = createCheckpointStore<PopularSongsPosition>(
    doc,
    POPULAR_SONGS_PROJECTION,
    tables.checkpoints ?? PROJECTION_CHECKPOINTS_TABLE.tableName,
  );

  /** One more performance of the song at the venue, unless this rotation's seq was counted already. */
  const countOnce = async (kjId: string, venue: string, bookSongId: string, rotationId: string, seq: number) => {
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [PK.name]: popularKey(kjId, venue), [SK.name]: bookSongId },
          UpdateExpression: 'ADD #sung :one SET #guard = :seq',
          ConditionExpression: 'attribute_not_exists(#guard) OR #guard < :seq',
          ExpressionAttributeNames: { '#sung': POPULAR_SUNG_ATTRIBUTE, '#guard': guardAttribute(rotationId) },
          ExpressionAttributeValues: { ':one': 1, ':seq': seq },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  };

  return {
    name: POPULAR_SONGS_PROJECTION,
    accepts: isRotationStream,

    load: async (streamId) => {
      const loaded = await checkpoints.load(streamId);
      return loaded ? { ...loaded, stored: loaded.version } : { streamId, version: 0, lastSeq: 0, kjId: '', venue: '', bookSongs: {}, stored: 0 };
    },

    async apply(from, commits) {
      if (commits.length === 0) return from;
      const rotationId = rotationIdOf(from.streamId);
      let { kjId, venue } = from;
      const bookSongs: Record<string, string> = { ...from.bookSongs };
      let changed = false;
      for (const { commit, event } of eventsAfter(from, commits)) {
        const e = toRotationEvent(event, commit);
        switch (e.type) {
          case 'RotationOpened':
            ({ kjId } = e.data);
            venue = foldText(e.data.venue);
            changed = true;
            break;
          case 'SingerJoined':
          case 'SongQueued':
            if (e.data.bookSongId === undefined) break;
            bookSongs[e.data.songId] = e.data.bookSongId;
            changed = true;
            break;
          case 'SongWithdrawn':
          case 'TurnCompleted': {
            const bookSongId = bookSongs[e.data.songId];
            if (bookSongId === undefined) break;
            if (e.type === 'TurnCompleted') await countOnce(kjId, venue, bookSongId, rotationId, event.seq);
            delete bookSongs[e.data.songId];
            changed = true;
            break;
          }
          case 'RotationClosed':
            // Nothing queued can be sung any more.
            changed ||= Object.keys(bookSongs).length > 0;
            for (const songId of Object.keys(bookSongs)) delete bookSongs[songId];
            break;
        }
      }
      const next: PopularSongsPosition = { ...checkpointAfter(from, commits), kjId, venue, bookSongs };
      const stored = from.stored ?? from.version;
      // Re-applying what a trailing checkpoint missed is harmless (the guards), so unchanged state waits.
      if (!changed && next.version - stored < CHECKPOINT_LAG_VERSIONS) return { ...next, stored };
      const { stored: _stored, ...checkpoint } = next;
      await checkpoints.advance({ ...from, version: stored }, checkpoint, from.version);
      return { ...next, stored: next.version };
    },

    clear: async () =>
      (await deleteItems(doc, tableName, [PK.name, SK.name], {
        filter: 'begins_with(#pk, :popular)',
        names: { '#pk': PK.name },
        values: { ':popular': POPULAR_KEY_PREFIX },
      })) + (await checkpoints.clear()),
  };
};
