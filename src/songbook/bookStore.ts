import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SONGBOOK_TABLE } from '../eventstore/tables';
import type { BookSong } from './songs';
import { batchWrite, documentClient, isConditionFailed, queryAll, type AnyDynamoClient } from '../eventstore/dynamo';

/**
 * KJs' songbooks in DynamoDB. Per KJ:
 * - a head item (`kj#<kjId>`, `head`): the current import's generation, its chunk count and a revision that every
 *   change moves on;
 * - that generation's songs in chunks (`kj#<kjId>#<generation>`, `chunk#00001`…), each under DynamoDB's item size;
 * - its single-song edits (`…#<generation>`, `edit#<bookSongId>`): a song, or a deletion.
 * An import writes a new generation's chunks, then flips the head in one conditional write: a reader that read the
 * head reads one whole generation, never half of one. A reader that finds the generation gone (replaced and
 * cleaned up meanwhile) reads the head again.
 */

export interface BookHead {
  readonly generation: string;
  readonly chunks: number;
  readonly revision: number;
}

export interface LoadedBook {
  readonly head: BookHead | null;
  readonly songs: readonly BookSong[];
}

export interface BookStore {
  head(kjId: string): Promise<BookHead | null>;
  load(kjId: string): Promise<LoadedBook>;
  /** Replaces the whole book; answers the new head. */
  replace(kjId: string, songs: readonly BookSong[], now: string): Promise<BookHead>;
  /** Adds or replaces one song (null: deletes it) in the current generation; answers the new head. */
  edit(kjId: string, bookSongId: string, song: BookSong | null, now: string): Promise<BookHead>;
  /** Completed performances of book songs at a venue, most sung first (counted by src/projections/popularSongsProjection.ts). */
  sungAt(kjId: string, venue: string, limit: number): Promise<{ bookSongId: string; sung: number }[]>;
}

/** Another writer changed the book between our read and our write. */
export class BookConflictError extends Error {
  readonly code = 'conflict';
}

/** A chunk's songs as JSON stay well under DynamoDB's 400 KB item limit. */
const CHUNK_BYTES = 300 * 1024;
const headKey = (kjId: string) => ({ bookKey: `kj#${kjId}`, part: 'head' });
const generationKey = (kjId: string, generation: string) => `kj#${kjId}#${generation}`;
/** Per KJ and folded venue, one counter item per book song (written by the popular-songs projection). */
export const POPULAR_KEY_PREFIX = 'popular#';
export const POPULAR_SUNG_ATTRIBUTE = 'sung';
export const popularKey = (kjId: string, venue: string) => `${POPULAR_KEY_PREFIX}${kjId}#${venue}`;
const chunkPart = (i: number) => `chunk#${String(i).padStart(5, '0')}`;

type Row = [string, string, string, number | null, string | null];
const toRow = (s: BookSong): Row => [s.bookSongId, s.title, s.artist, s.key ?? null, s.ref ?? null];
const fromRow = ([bookSongId, title, artist, key, ref]: Row): BookSong => ({
  bookSongId,
  title,
  artist,
  ...(key !== null ? { key } : {}),
  ...(ref !== null ? { ref } : {}),
});

export const chunkSongs = (songs: readonly BookSong[]): string[] => {
  const chunks: string[] = [];
  let rows: string[] = [];
  let bytes = 0;
  for (const song of songs) {
    const row = JSON.stringify(toRow(song));
    const size = Buffer.byteLength(row);
    if (rows.length > 0 && bytes + size > CHUNK_BYTES) {
      chunks.push(`[${rows.join(',')}]`);
      rows = [];
      bytes = 0;
    }
    rows.push(row);
    bytes += size + 1;
  }
  if (rows.length > 0) chunks.push(`[${rows.join(',')}]`);
  return chunks;
};

export const createDynamoBookStore = ({
  client,
  tableName = SONGBOOK_TABLE.tableName,
  newGeneration = randomUUID,
}: {
  client: AnyDynamoClient;
  tableName?: string;
  newGeneration?: () => string;
}): BookStore => {
  const doc = documentClient(client);

  const queryParts = (
    bookKey: string,
    prefix: string,
    only?: { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> },
  ): Promise<Record<string, unknown>[]> =>
    queryAll(doc, {
      TableName: tableName,
      KeyConditionExpression: 'bookKey = :k AND begins_with(part, :p)',
      ExpressionAttributeValues: { ':k': bookKey, ':p': prefix },
      ConsistentRead: true,
      ...only,
    });

  const head = async (kjId: string): Promise<BookHead | null> => {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: headKey(kjId), ConsistentRead: true }));
    return Item ? { generation: Item.generation as string, chunks: Item.chunks as number, revision: Item.revision as number } : null;
  };

  const writeAll = (items: Record<string, unknown>[]) => batchWrite(doc, tableName, items.map((Item) => ({ PutRequest: { Item } })));

  const dropGeneration = async (kjId: string, generation: string) => {
    const bookKey = generationKey(kjId, generation);
    for (const item of await queryParts(bookKey, '')) {
      await doc.send(new DeleteCommand({ TableName: tableName, Key: { bookKey, part: item.part } }));
    }
  };

  return {
    head,
    async load(kjId) {
      for (let attempt = 0; ; attempt++) {
        const current = await head(kjId);
        if (!current) return { head: null, songs: [] };
        const items = await queryParts(generationKey(kjId, current.generation), '');
        const chunks = items.filter((item) => (item.part as string).startsWith('chunk#'));
        if (chunks.length !== current.chunks) {
          // Replaced and cleaned up while we read: the new head names a whole generation.
          if (attempt < 5) continue;
          throw new BookConflictError('The songbook kept changing while it was read.');
        }
        const songs = new Map<string, BookSong>();
        for (const chunk of chunks) for (const row of JSON.parse(chunk.songs as string) as Row[]) songs.set(row[0], fromRow(row));
        for (const edit of items) {
          if (!(edit.part as string).startsWith('edit#')) continue;
          const id = (edit.part as string).slice('edit#'.length);
          if (edit.song) songs.set(id, fromRow(JSON.parse(edit.song as string) as Row));
          else songs.delete(id);
        }
        return { head: current, songs: [...songs.values()] };
      }
    },
    async replace(kjId, songs, now) {
      const previous = await head(kjId);
      const generation = newGeneration();
      const chunks = chunkSongs(songs);
      const bookKey = generationKey(kjId, generation);
      await writeAll(chunks.map((json, i) => ({ bookKey, part: chunkPart(i + 1), songs: json })));
      const next: BookHead = { generation, chunks: chunks.length, revision: (previous?.revision ?? 0) + 1 };
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...headKey(kjId), ...next, count: songs.length, updatedAt: now },
            ConditionExpression: previous ? 'revision = :seen' : 'attribute_not_exists(part)',
            ...(previous ? { ExpressionAttributeValues: { ':seen': previous.revision } } : {}),
          }),
        );
      } catch (err) {
        await dropGeneration(kjId, generation);
        if (isConditionFailed(err)) throw new BookConflictError('The songbook changed during the import; import it again.');
        throw err;
      }
      // The old generation is unreachable now; a reader still on it retries from the head.
      if (previous) await dropGeneration(kjId, previous.generation).catch(() => undefined);
      return next;
    },
    async edit(kjId, bookSongId, song, now) {
      const current = await head(kjId);
      const generation = current?.generation ?? newGeneration();
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { bookKey: generationKey(kjId, generation), part: `edit#${bookSongId}`, ...(song ? { song: JSON.stringify(toRow(song)) } : {}) },
        }),
      );
      const next: BookHead = { generation, chunks: current?.chunks ?? 0, revision: (current?.revision ?? 0) + 1 };
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...headKey(kjId), ...next, updatedAt: now },
            ConditionExpression: current ? 'revision = :seen' : 'attribute_not_exists(part)',
            ...(current ? { ExpressionAttributeValues: { ':seen': current.revision } } : {}),
          }),
        );
      } catch (err) {
        if (isConditionFailed(err)) throw new BookConflictError('The songbook changed meanwhile; try again.');
        throw err;
      }
      return next;
    },
    async sungAt(kjId, venue, limit) {
      // Only the count: the items also hold one guard attribute per rotation that counted.
      const items = await queryParts(popularKey(kjId, venue), '', { ProjectionExpression: 'part, #sung', ExpressionAttributeNames: { '#sung': POPULAR_SUNG_ATTRIBUTE } });
      return items
        .map((item) => ({ bookSongId: item.part as string, sung: item[POPULAR_SUNG_ATTRIBUTE] }))
        // Request counts of the first songbook build (attribute `requests`) have no `sung`: not performances.
        .filter((entry): entry is { bookSongId: string; sung: number } => typeof entry.sung === 'number')
        .sort((a, b) => b.sung - a.sung || (a.bookSongId < b.bookSongId ? -1 : 1))
        .slice(0, limit);
    },
  };
};
