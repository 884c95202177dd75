/**
 * The singer history read model: a singer's performances, one item per singer per rotation (per
 * HISTORY_CHUNK_SEQS events of it, so that even a freak night fits an item), the performances one JSON array in
 * one string attribute, in seq order. Rebuilding a night is then about one write per singer, not one per song
 * sung, and each write one string to move rather than a list that DynamoDB and the SDK check element by element.
 * Items of the layout before (a list of JSON strings, one per performance) are still read, and a merge into one
 * rewrites it packed.
 *
 * Every write merges: the item's performances and the new ones are united by seq, and the put is conditional on
 * the count it read (performances only ever get added), so a re-delivered commit adds nothing twice and two
 * writers racing each other lose nothing. Items are written before the checkpoint advances: a crash in between only
 * means the same merge again. A rebuild writes whole items into the emptied table with BatchWrite (see
 * `rebuild` below for why that is safe next to a live projector).
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import type { RotationEventData } from '../aggregates/rotation';
import { isRotationStream, PROJECTION_CHECKPOINTS_TABLE, rotationIdOf, SINGER_HISTORY_TABLE } from '../eventstore/tables';
import type { HistoryReader, Performance } from './readModels';
import { createCheckpointStore } from './checkpoints';
import { batchWrite, deleteItems, isConditionFailed, itemSizeBytes, queryAll } from '../eventstore/dynamo';
import { ReadModelTooLargeError } from './errors';
import { checkpointAfter, eventsAfter, type Checkpoint, type Projection } from './projection';
import { toRotationEvent } from '../eventstore/domainEvents';

export const SINGER_HISTORY_PROJECTION = 'singer-history';

/** The checkpoint carries the venue: TurnCompleted does not, RotationOpened (applied long before) does. */
export interface SingerHistoryPosition extends Checkpoint {
  readonly venue: string;
  /** The version its stored checkpoint holds, which may trail `version` (see CHECKPOINT_LAG_VERSIONS). */
  readonly stored?: number;
}

/**
 * Most commits hold nothing for the history (joins, songs, away/back): for those the checkpoint is written only
 * every this many versions, not on every commit. Re-applying what a trailing checkpoint missed merges the same
 * performances again, so trailing costs a restart's catch-up a little reading, and each command a write less.
 */
export const CHECKPOINT_LAG_VERSIONS = 50;

/**
 * A singer's performances in events [n·this, (n+1)·this) of a rotation share an item. An item holds a few hundred
 * performances of the longest texts allowed (1.8 KB of JSON each), thousands of ordinary ones, and a singer needs
 * two events per performance at the very least and the KJ's hand on every one: a night that fills an item is
 * not a karaoke night. One that would is a poison record (ReadModelTooLargeError: counted, alarmed, passed
 * over), never a lost or truncated write.
 */
export const HISTORY_CHUNK_SEQS = 2000;

/** DynamoDB's item limit, less room for the keys and the venue. */
const MAX_HISTORY_ITEM_BYTES = 390 * 1024;

/** One performance as its item lists it (the singer, rotation and venue are the item's). */
interface PerformanceEntry {
  /** The TurnCompleted event's seq in its stream: what merges go by, and for audits. */
  readonly seq: number;
  readonly turnId: string;
  readonly song: Performance['song'];
  readonly startedAt: string;
  readonly completedAt: string;
  readonly durationSeconds: number;
  readonly addedByKj?: true;
}

export interface HistoryItem {
  readonly singerId: string;
  /** `<rotationId>#<chunk>`: ids never hold `#` (src/api/contract/fields.ts ID_PATTERN). */
  readonly performanceKey: string;
  readonly rotationId: string;
  readonly venue: string;
  /** JSON array of the PerformanceEntry objects, in seq order. */
  readonly entries: string;
  /** How many performances `entries` holds: what a merge's conditional put checks. */
  readonly count: number;
}

/** The layout before HistoryItem: the same item, each performance's JSON a string of a list. */
interface ListedHistoryItem extends Omit<HistoryItem, 'entries' | 'count'> {
  readonly performances: readonly string[];
}

const { partitionKey: PK, sortKey: SK } = SINGER_HISTORY_TABLE;

export const historyKeyOf = (rotationId: string, seq: number): string => `${rotationId}#${Math.floor(seq / HISTORY_CHUNK_SEQS)}`;

const entryOf = (seq: number, { turnId, song, startedAt, completedAt, durationSeconds, addedByKj }: RotationEventData['TurnCompleted']): string =>
  JSON.stringify({ seq, turnId, song, startedAt, completedAt, durationSeconds, ...(addedByKj ? { addedByKj } : {}) } satisfies PerformanceEntry);

const seqOf = (entry: string): number => (JSON.parse(entry) as PerformanceEntry).seq;

/** A stored item's performances as JSON each, in either layout (none for no item). */
const storedEntries = (item: Record<string, unknown> | undefined): { seq: number; json: string }[] => {
  if (typeof item?.entries === 'string') return (JSON.parse(item.entries) as PerformanceEntry[]).map((e) => ({ seq: e.seq, json: JSON.stringify(e) }));
  return ((item?.performances as string[] | undefined) ?? []).map((json) => ({ seq: seqOf(json), json }));
};

/** A stored item's performances, in either layout. */
const performancesOf = (item: HistoryItem | ListedHistoryItem): PerformanceEntry[] =>
  'entries' in item ? (JSON.parse(item.entries) as PerformanceEntry[]) : item.performances.map((json) => JSON.parse(json) as PerformanceEntry);

/** New performances of one item: its key, and entries in seq order. */
interface ItemWrite {
  readonly singerId: string;
  readonly performanceKey: string;
  readonly entries: { readonly seq: number; readonly json: string }[];
}

/** The performances in the events after `from`, per item, and the venue as of the last of them. */
const performancesAfter = (from: SingerHistoryPosition, commits: Parameters<typeof eventsAfter>[1]) => {
  const rotationId = rotationIdOf(from.streamId);
  let venue = from.venue;
  const writes = new Map<string, ItemWrite>();
  for (const { commit, event } of eventsAfter(from, commits)) {
    const e = toRotationEvent(event, commit);
    if (e.type === 'RotationOpened') venue = e.data.venue;
    if (e.type !== 'TurnCompleted') continue;
    const performanceKey = historyKeyOf(rotationId, event.seq);
    const key = `${e.data.singerId}\u0000${performanceKey}`;
    const write = writes.get(key) ?? { singerId: e.data.singerId, performanceKey, entries: [] };
    write.entries.push({ seq: event.seq, json: entryOf(event.seq, e.data) });
    writes.set(key, write);
  }
  return { rotationId, venue, writes: [...writes.values()] };
};

export const createSingerHistoryProjection = (
  doc: DynamoDBDocumentClient,
  tables: { readonly history?: string; readonly checkpoints?: string } = {},
): Projection<SingerHistoryPosition> => {
  const tableName = tables.history ?? SINGER_HISTORY_TABLE.tableName;
  const checkpoints = createCheckpointStore<SingerHistoryPosition>(
    doc,
    SINGER_HISTORY_PROJECTION,
    tables.checkpoints ?? PROJECTION_CHECKPOINTS_TABLE.tableName,
  );

  /** The item listing these performances (JSON each, in seq order). */
  const itemOf = (rotationId: string, venue: string, { singerId, performanceKey }: ItemWrite, performances: readonly string[]): HistoryItem => {
    const item = { singerId, performanceKey, rotationId, venue, entries: `[${performances.join(',')}]`, count: performances.length };
    const size = itemSizeBytes(item);
    if (size > MAX_HISTORY_ITEM_BYTES) throw new ReadModelTooLargeError(SINGER_HISTORY_PROJECTION, `${singerId}/${performanceKey}`, size, MAX_HISTORY_ITEM_BYTES);
    return item;
  };

  /** Unites the item's performances with the new ones; conditional on the list read, retried when it moved. */
  const merge = async (rotationId: string, venue: string, write: ItemWrite): Promise<void> => {
    const Key = { [PK.name]: write.singerId, [SK.name]: write.performanceKey };
    for (;;) {
      const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }));
      const stored = storedEntries(Item);
      const have = new Set(stored.map((e) => e.seq));
      const added = write.entries.filter((e) => !have.has(e.seq));
      if (added.length === 0) return;
      const performances = [...stored, ...added].sort((a, b) => a.seq - b.seq).map((e) => e.json);
      // On the count in the layout read: an item of the earlier layout has no count, and once rewritten no list.
      const condition: Pick<PutCommandInput, 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> = !Item
        ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK.name } }
        : typeof Item.entries === 'string'
          ? { ConditionExpression: '#count = :read', ExpressionAttributeNames: { '#count': 'count' }, ExpressionAttributeValues: { ':read': stored.length } }
          : { ConditionExpression: 'size(#list) = :read', ExpressionAttributeNames: { '#list': 'performances' }, ExpressionAttributeValues: { ':read': stored.length } };
      try {
        await doc.send(new PutCommand({ TableName: tableName, Item: itemOf(rotationId, venue, write, performances), ...condition }));
        return;
      } catch (err) {
        if (!isConditionFailed(err)) throw err;
      }
    }
  };

  return {
    name: SINGER_HISTORY_PROJECTION,
    accepts: isRotationStream,

    load: async (streamId) => {
      const loaded = await checkpoints.load(streamId);
      return loaded ? { ...loaded, stored: loaded.version } : { streamId, version: 0, lastSeq: 0, venue: '', stored: 0 };
    },

    async apply(from, commits) {
      if (commits.length === 0) return from;
      const { rotationId, venue, writes } = performancesAfter(from, commits);
      // Several singers' items side by side; each merge is its own read and conditional put.
      await Promise.all(writes.map((write) => merge(rotationId, venue, write)));
      const next = { ...checkpointAfter(from, commits), venue };
      const stored = from.stored ?? from.version;
      if (writes.length === 0 && venue === from.venue && next.version - stored < CHECKPOINT_LAG_VERSIONS) return { ...next, stored };
      // Written only from a position at or past the stored one, so a stale delivery still cannot apply.
      const { stored: _stored, ...checkpoint } = next as SingerHistoryPosition;
      await checkpoints.advance({ ...from, version: stored }, checkpoint, from.version);
      return { ...next, stored: next.version };
    },

    /**
     * Into the emptied table, whole items from the whole stream, unconditionally: the one write this can replace
     * is a live delivery's merge of a LATER commit than these (any earlier performance is in these items), and
     * the rebuild applies the commits after these again afterwards (catchUp.ts), whose merge puts it back. The
     * checkpoint (saveRebuilt, later) may likewise go back to this version: that only means merging again what
     * is already there.
     */
    async rebuild(streamId, commits) {
      const initial: SingerHistoryPosition = { streamId, version: 0, lastSeq: 0, venue: '' };
      const { rotationId, venue, writes } = performancesAfter(initial, commits);
      await batchWrite(doc, tableName, writes.map((w) => ({ PutRequest: { Item: { ...itemOf(rotationId, venue, w, w.entries.map((e) => e.json)) } } })));
      return { ...checkpointAfter(initial, commits), venue, stored: 0 };
    },

    saveRebuilt: (positions) => checkpoints.overwrite(positions.map(({ stored: _stored, ...checkpoint }) => checkpoint)),

    clear: async () => (await deleteItems(doc, tableName, [PK.name, SK.name])) + (await checkpoints.clear()),
  };
};

/** An item of the layout before HistoryItem: one performance, keyed `<completedAt>#<rotationId>#<turnId>`. */
interface LegacyPerformanceItem extends Performance {
  readonly performanceKey: string;
  readonly turnId: string;
}

/**
 * The API's history reader: one Query per singer, oldest performance first. Items of the earlier layouts (a list
 * per item, or one item per performance) are still listed until a rebuild replaces them, and a performance both layouts hold (a commit
 * re-applied after the upgrade) is listed once.
 */
export const createHistoryReader = (doc: DynamoDBDocumentClient, tableName: string = SINGER_HISTORY_TABLE.tableName): HistoryReader => ({
  async performances(singerId) {
    const items = (await queryAll(doc, {
      TableName: tableName,
      KeyConditionExpression: '#pk = :singer',
      ExpressionAttributeNames: { '#pk': PK.name },
      ExpressionAttributeValues: { ':singer': singerId },
      ConsistentRead: true,
    })) as unknown as (HistoryItem | ListedHistoryItem | LegacyPerformanceItem)[];
    const listed = new Map<string, Performance>();
    for (const item of items) {
      if ('entries' in item || 'performances' in item) {
        for (const { song, startedAt, completedAt, durationSeconds, addedByKj, turnId } of performancesOf(item)) {
          const { rotationId, venue } = item;
          listed.set(`${completedAt}#${rotationId}#${turnId}`, { rotationId, venue, song, startedAt, completedAt, durationSeconds, ...(addedByKj ? { addedByKj } : {}) });
        }
      } else {
        const { rotationId, venue, song, startedAt, completedAt, durationSeconds, addedByKj, turnId } = item;
        listed.set(`${completedAt}#${rotationId}#${turnId}`, { rotationId, venue, song, startedAt, completedAt, durationSeconds, ...(addedByKj ? { addedByKj } : {}) });
      }
    }
    return [...listed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, performance]) => performance);
  },
});
