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
 * set of TurnCompleted seqs it counted, and an ADD is conditional on its seqs not being in it: a re-delivery, a
 * replay from a trailing checkpoint, a racing catch-up or a rebuild racing the live projector (in any order)
 * finds them there and adds nothing. Counters written before the set kept only the last seq counted (counting
 * went in order then): a seq at or below it was counted too.
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
/** A counter's set of counted seqs of one rotation. */
const countedAttribute = (rotationId: string) => `counted#${rotationId}`;
/** What counters kept before the set: the last seq of the rotation counted. */
const legacyGuardAttribute = (rotationId: string) => `rotation#${rotationId}`;
/** Seqs per conditional ADD (each is a term of its condition). */
const SEQS_PER_ADD = 20;

/** A song's completed turns in one rotation, to count: seqs ascending. */
interface Completions {
  readonly bookSongId: string;
  readonly seqs: number[];
}

/** The checkpoint's state after the events past `from`, and the completions of book songs among them. */
const foldAfter = (from: PopularSongsPosition, commits: Parameters<typeof eventsAfter>[1]) => {
  let { kjId, venue } = from;
  const bookSongs: Record<string, string> = { ...from.bookSongs };
  const completions = new Map<string, Completions>();
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
        if (e.type === 'TurnCompleted') {
          const c = completions.get(bookSongId) ?? { bookSongId, seqs: [] };
          c.seqs.push(event.seq);
          completions.set(bookSongId, c);
        }
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
  return { kjId, venue, bookSongs, completions: [...completions.values()], changed };
};

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

  /** Adds the seqs none of which the counter has counted yet; false when some were (nothing added). */
  const addUncounted = async (kjId: string, venue: string, rotationId: string, bookSongId: string, seqs: readonly number[]): Promise<boolean> => {
    const values: Record<string, unknown> = { ':n': seqs.length, ':seqs': new Set(seqs), ':first': seqs[0] };
    seqs.forEach((seq, i) => (values[`:s${i}`] = seq));
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [PK.name]: popularKey(kjId, venue), [SK.name]: bookSongId },
          UpdateExpression: 'ADD #sung :n, #counted :seqs',
          ConditionExpression: [
            '(attribute_not_exists(#legacy) OR #legacy < :first)',
            ...seqs.map((_, i) => `NOT contains(#counted, :s${i})`),
          ].join(' AND '),
          ExpressionAttributeNames: { '#sung': POPULAR_SUNG_ATTRIBUTE, '#counted': countedAttribute(rotationId), '#legacy': legacyGuardAttribute(rotationId) },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      return false;
    }
  };

  /** Counts each completion once: a song's seqs in one ADD when none is counted yet (the usual case), else one by one. */
  const count = async (kjId: string, venue: string, rotationId: string, { bookSongId, seqs }: Completions) => {
    for (let i = 0; i < seqs.length; i += SEQS_PER_ADD) {
      const some = seqs.slice(i, i + SEQS_PER_ADD);
      if (await addUncounted(kjId, venue, rotationId, bookSongId, some)) continue;
      if (some.length > 1) for (const seq of some) await addUncounted(kjId, venue, rotationId, bookSongId, [seq]);
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
      const { kjId, venue, bookSongs, completions, changed } = foldAfter(from, commits);
      for (const c of completions) await count(kjId, venue, rotationId, c);
      const next: PopularSongsPosition = { ...checkpointAfter(from, commits), kjId, venue, bookSongs };
      const stored = from.stored ?? from.version;
      // Re-applying what a trailing checkpoint missed is harmless (the guards), so unchanged state waits.
      if (!changed && next.version - stored < CHECKPOINT_LAG_VERSIONS) return { ...next, stored };
      const { stored: _stored, ...checkpoint } = next;
      await checkpoints.advance({ ...from, version: stored }, checkpoint, from.version);
      return { ...next, stored: next.version };
    },

    /**
     * From all of a stream's commits: each song's completions in one guarded ADD, and the checkpoint written
     * whatever is stored (one going back only means applying again what the guards then refuse).
     */
    async rebuild(streamId, commits) {
      const initial: PopularSongsPosition = { streamId, version: 0, lastSeq: 0, kjId: '', venue: '', bookSongs: {} };
      const { kjId, venue, bookSongs, completions } = foldAfter(initial, commits);
      await Promise.all(completions.map((c) => count(kjId, venue, rotationIdOf(streamId), c)));
      const next: PopularSongsPosition = { ...checkpointAfter(initial, commits), kjId, venue, bookSongs };
      await checkpoints.overwrite(next);
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
