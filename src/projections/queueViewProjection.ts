/**
 * The queue view read model: one item per rotation holding the folded RotationState at a version.
 * The view itself is rendered when read, because estimatedWaitSeconds depends on the time of the read.
 *
 * The state is stored as gzipped JSON: it grows with the night (every singer, their pending songs, everyone
 * called tonight), and compressed it stays far below the 400 KB item limit and costs one write unit, not
 * several. A few plain attributes (venue, status, singers) keep the item legible in the console.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { evolve, initialRotationState, type RotationState } from '../aggregates/rotation';
import { QUEUE_VIEW_TABLE, rotationIdOf } from '../eventstore/tables';
import { itemSizeBytes } from '../eventstore/store';
import type { QueueViewReader } from '../api/readModels';
import { deleteItems, isConditionFailed } from './dynamo';
import { ProjectionConflictError, ReadModelTooLargeError } from './errors';
import { checkpointAfter, eventsAfter, type Checkpoint, type Projection } from './projection';
import { isRotationStream, toRotationEvent } from './rotationEvents';
import { renderQueueView, type HotQueueViews } from './hotQueueViews';

export const QUEUE_VIEW_PROJECTION = 'queue-view';

/** Well under DynamoDB's 400 KB, so a near-limit night fails loudly long before writes would. */
export const MAX_QUEUE_VIEW_ITEM_BYTES = 300 * 1024;

export interface QueueViewPosition extends Checkpoint {
  readonly state: RotationState;
}

interface QueueViewItem {
  readonly rotationId: string;
  readonly streamId: string;
  readonly version: number;
  readonly lastSeq: number;
  /** Hash of the commit at `version`: the queue view carries it, so a client can note the head it saw. */
  readonly headHash?: string;
  readonly venue: string;
  readonly status: RotationState['status'];
  readonly singers: number;
  /** Time of the last applied commit (not of the write), so a rebuild writes the very same item. */
  readonly updatedAt: string;
  readonly stateEncoding: 'gzip-json';
  readonly state: Uint8Array;
}

const PK = QUEUE_VIEW_TABLE.partitionKey.name;

const encodeState = (state: RotationState): Uint8Array => gzipSync(JSON.stringify(state));
const decodeState = (bytes: Uint8Array): RotationState => JSON.parse(gunzipSync(bytes).toString('utf8')) as RotationState;

const readItem = async (doc: DynamoDBDocumentClient, tableName: string, rotationId: string) => {
  const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: { [PK]: rotationId }, ConsistentRead: true }));
  return Item as QueueViewItem | undefined;
};

export const createQueueViewProjection = (
  doc: DynamoDBDocumentClient,
  tableName: string = QUEUE_VIEW_TABLE.tableName,
  /** On one machine: where each state just written goes, for reads to render from (read-your-writes). */
  hot?: HotQueueViews,
): Projection<QueueViewPosition> => ({
  name: QUEUE_VIEW_PROJECTION,
  accepts: isRotationStream,

  async load(streamId) {
    const item = await readItem(doc, tableName, rotationIdOf(streamId));
    return item
      ? { streamId, version: item.version, lastSeq: item.lastSeq, state: decodeState(item.state) }
      : { streamId, version: 0, lastSeq: 0, state: initialRotationState };
  },

  async apply(from, commits) {
    const last = commits.at(-1);
    if (!last) return from;
    const state = eventsAfter(from, commits).reduce((s, { commit, event }) => evolve(s, toRotationEvent(commit, event)), from.state);
    const { version, lastSeq } = checkpointAfter(from, commits);
    const rotationId = rotationIdOf(from.streamId);
    const item: QueueViewItem = {
      rotationId,
      streamId: from.streamId,
      version,
      lastSeq,
      headHash: last.hash,
      venue: state.venue,
      status: state.status,
      singers: state.order.length,
      updatedAt: last.at,
      stateEncoding: 'gzip-json',
      state: encodeState(state),
    };
    const size = itemSizeBytes(item);
    if (size > MAX_QUEUE_VIEW_ITEM_BYTES) throw new ReadModelTooLargeError(QUEUE_VIEW_PROJECTION, rotationId, size, MAX_QUEUE_VIEW_ITEM_BYTES);
    try {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          // The stored version is the checkpoint: only a write from where we loaded may land.
          ConditionExpression: from.version === 0 ? 'attribute_not_exists(#pk)' : '#version = :expected',
          ExpressionAttributeNames: from.version === 0 ? { '#pk': PK } : { '#version': 'version' },
          ...(from.version === 0 ? {} : { ExpressionAttributeValues: { ':expected': from.version } }),
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) throw new ProjectionConflictError(QUEUE_VIEW_PROJECTION, from.streamId, from.version, { cause: err });
      throw err;
    }
    hot?.set(rotationId, { state, version, headHash: last.hash });
    return { streamId: from.streamId, version, lastSeq, state };
  },

  clear: () => deleteItems(doc, tableName, [PK]),
});

/** The API's queue reader over the read model: one GetItem, the view rendered for `now`. */
export const createQueueViewReader = (
  doc: DynamoDBDocumentClient,
  tableName: string = QUEUE_VIEW_TABLE.tableName,
  /** Rendered from when held; a rotation read from the table is held from then on. */
  hot?: HotQueueViews,
): QueueViewReader => ({
  async read(rotationId, now) {
    const held = hot?.get(rotationId);
    if (held) return renderQueueView(held, now);
    const item = await readItem(doc, tableName, rotationId);
    if (!item) return null;
    const view = { state: decodeState(item.state), version: item.version, ...(item.headHash === undefined ? {} : { headHash: item.headHash }) };
    hot?.set(rotationId, view);
    return renderQueueView(view, now);
  },
});

/** The stored state and version of a rotation (tests and the CLI compare it with a fresh fold). */
export const readQueueViewState = async (
  doc: DynamoDBDocumentClient,
  rotationId: string,
  tableName: string = QUEUE_VIEW_TABLE.tableName,
): Promise<{ state: RotationState; version: number; lastSeq: number } | null> => {
  const item = await readItem(doc, tableName, rotationId);
  return item ? { state: decodeState(item.state), version: item.version, lastSeq: item.lastSeq } : null;
};
