/**
 * The singer history read model: one item per completed performance, under the singer.
 * The sort key (completedAt#rotationId#turnId) is unique per performance and sorts by time, so a re-delivered
 * commit puts the very same item again (idempotent) and a singer's history reads in order with one Query.
 * Items are written before the checkpoint advances: a crash in between only means the same puts again.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RotationEventData } from '../aggregates/rotation';
import { isRotationStream, PROJECTION_CHECKPOINTS_TABLE, rotationIdOf, SINGER_HISTORY_TABLE } from '../eventstore/tables';
import type { HistoryReader, Performance } from './readModels';
import { createCheckpointStore } from './checkpoints';
import { batchWrite, deleteItems, queryAll } from '../eventstore/dynamo';
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
 * every this many versions, not on every commit. Re-applying what a trailing checkpoint missed puts the same
 * items again, so trailing costs a restart's catch-up a little reading, and each command a write less.
 */
export const CHECKPOINT_LAG_VERSIONS = 50;

export interface PerformanceItem extends Performance {
  readonly singerId: string;
  readonly performanceKey: string;
  readonly turnId: string;
  /** The TurnCompleted event's seq in its stream, for audits. */
  readonly seq: number;
}

const { partitionKey: PK, sortKey: SK } = SINGER_HISTORY_TABLE;

export const performanceKeyOf = (completedAt: string, rotationId: string, turnId: string): string =>
  `${completedAt}#${rotationId}#${turnId}`;

const performanceItem = (
  rotationId: string,
  venue: string,
  seq: number,
  { singerId, turnId, song, startedAt, completedAt, durationSeconds, addedByKj }: RotationEventData['TurnCompleted'],
): PerformanceItem => ({
  singerId,
  performanceKey: performanceKeyOf(completedAt, rotationId, turnId),
  rotationId,
  venue,
  song,
  startedAt,
  completedAt,
  durationSeconds,
  ...(addedByKj ? { addedByKj } : {}),
  turnId,
  seq,
});

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
  return {
    name: SINGER_HISTORY_PROJECTION,
    accepts: isRotationStream,

    load: async (streamId) => {
      const loaded = await checkpoints.load(streamId);
      return loaded ? { ...loaded, stored: loaded.version } : { streamId, version: 0, lastSeq: 0, venue: '', stored: 0 };
    },

    async apply(from, commits) {
      if (commits.length === 0) return from;
      const rotationId = rotationIdOf(from.streamId);
      let venue = from.venue;
      const items: PerformanceItem[] = [];
      for (const { commit, event } of eventsAfter(from, commits)) {
        const e = toRotationEvent(event, commit);
        if (e.type === 'RotationOpened') venue = e.data.venue;
        if (e.type === 'TurnCompleted') items.push(performanceItem(rotationId, venue, event.seq, e.data));
      }
      await batchWrite(doc, tableName, items.map((Item) => ({ PutRequest: { Item: { ...Item } } })));
      const next = { ...checkpointAfter(from, commits), venue };
      const stored = from.stored ?? from.version;
      if (items.length === 0 && venue === from.venue && next.version - stored < CHECKPOINT_LAG_VERSIONS) return { ...next, stored };
      // Written only from a position at or past the stored one, so a stale delivery still cannot apply.
      const { stored: _stored, ...checkpoint } = next as SingerHistoryPosition;
      await checkpoints.advance({ ...from, version: stored }, checkpoint, from.version);
      return { ...next, stored: next.version };
    },

    clear: async () => (await deleteItems(doc, tableName, [PK.name, SK.name])) + (await checkpoints.clear()),
  };
};

/** The API's history reader: one Query per singer, oldest performance first. */
export const createHistoryReader = (doc: DynamoDBDocumentClient, tableName: string = SINGER_HISTORY_TABLE.tableName): HistoryReader => ({
  async performances(singerId) {
    const items = (await queryAll(doc, {
      TableName: tableName,
      KeyConditionExpression: '#pk = :singer',
      ExpressionAttributeNames: { '#pk': PK.name },
      ExpressionAttributeValues: { ':singer': singerId },
      ConsistentRead: true,
    })) as unknown as PerformanceItem[];
    return items.map(({ rotationId, venue, song, startedAt, completedAt, durationSeconds, addedByKj }) => ({
      rotationId,
      venue,
      song,
      startedAt,
      completedAt,
      durationSeconds,
      ...(addedByKj ? { addedByKj } : {}),
    }));
  },
});
