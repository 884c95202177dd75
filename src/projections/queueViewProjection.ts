/**
 * The queue view read model: one item per rotation holding the folded RotationState at a version.
 * The view itself is rendered when read, because estimatedWaitSeconds depends on the time of the read.
 *
 * The state is stored as gzipped JSON: it grows with the night (every singer, their pending songs, everyone
 * called tonight), and compressed it usually stays far below the 400 KB item limit and costs one write unit.
 * A big night whose compressed state passes MAX_INLINE_STATE_BYTES (500 singers with long, varied song
 * titles) is split into part items written before the view's own item, so it keeps following the log.
 * A few plain attributes (venue, status, singers) keep the item legible in the console.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { initialRotationState, rotationDecider, type RotationState } from '../aggregates/rotation';
import { fold } from '../aggregates/decider';
import type { StoredCommit } from '../eventstore/commit';
import { isRotationStream, OPEN_TURNS_INDEX, QUEUE_VIEW_TABLE, rotationIdOf } from '../eventstore/tables';
import { itemSizeBytes } from '../eventstore/dynamo';
import type { QueueViewReader } from './readModels';
import { batchWrite, deleteItems, isConditionFailed } from '../eventstore/dynamo';
import { ProjectionConflictError, ReadModelTooLargeError } from './errors';
import { checkpointAfter, eventsAfter, type Checkpoint, type Projection } from './projection';
import { toRotationEvent } from '../eventstore/domainEvents';
import { renderQueueView, renderQueueViewBytes, type HotQueueView, type HotQueueViews } from './hotQueueViews';

export const QUEUE_VIEW_PROJECTION = 'queue-view';

/** Compressed state up to this size stays in the view's own item, well under DynamoDB's 400 KB. */
export const MAX_INLINE_STATE_BYTES = 300 * 1024;
/** Each part item holds at most this much of a bigger state. */
export const PART_BYTES = 350 * 1024;
/** Parts at most: far more than the biggest night the settings allow (500 singers × 10 songs of 200 characters). */
export const DEFAULT_MAX_PARTS = 12;
/** The view's own item, kept well under DynamoDB's 400 KB so a near-limit night fails loudly before writes would. */
export const MAX_QUEUE_VIEW_ITEM_BYTES = 300 * 1024;

export interface QueueViewPosition extends Checkpoint {
  readonly state: RotationState;
  /** Part items the stored state is split into (0: it is in the view's own item). */
  readonly parts?: number;
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
  readonly stateEncoding: 'gzip-json' | 'gzip-json-parts';
  /** The compressed state, or (gzip-json-parts) absent and split over `parts` part items of this version. */
  readonly state?: Uint8Array;
  readonly parts?: number;
  /** Only while a turn is open: keys the open-turns index (openTurnIndex.ts). */
  readonly openTurnId?: string;
}

const PK = QUEUE_VIEW_TABLE.partitionKey.name;

/** Ids never hold `#` (src/api/contract/fields.ts ID_PATTERN), so a part's key cannot be a rotation's. */
const partKey = (rotationId: string, version: number, index: number) => `${rotationId}#v${version}#${index}`;

const encodeState = (state: RotationState): Buffer => gzipSync(JSON.stringify(state));
const decodeState = (bytes: Uint8Array): RotationState => JSON.parse(gunzipSync(bytes).toString('utf8')) as RotationState;

const getItem = async (doc: DynamoDBDocumentClient, tableName: string, key: string) => {
  const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: { [PK]: key }, ConsistentRead: true }));
  return Item;
};

/** The view's item and its state; a state in parts is put back together (re-read if a newer write replaced them). */
const readView = async (doc: DynamoDBDocumentClient, tableName: string, rotationId: string) => {
  for (let attempt = 1; ; attempt++) {
    const item = (await getItem(doc, tableName, rotationId)) as QueueViewItem | undefined;
    if (!item) return undefined;
    if (item.stateEncoding !== 'gzip-json-parts') return { item, state: decodeState(item.state!) };
    const parts = await Promise.all(
      Array.from({ length: item.parts ?? 0 }, (_, i) => getItem(doc, tableName, partKey(rotationId, item.version, i))),
    );
    if (parts.every((p) => p !== undefined)) {
      return { item, state: decodeState(Buffer.concat(parts.map((p) => p!.chunk as Uint8Array))) };
    }
    if (attempt >= 3) throw new Error(`queue view ${rotationId} v${item.version}: a part of its state is missing`);
  }
};

const deleteParts = (doc: DynamoDBDocumentClient, tableName: string, rotationId: string, version: number, parts: number) =>
  Promise.all(Array.from({ length: parts }, (_, i) => doc.send(new DeleteCommand({ TableName: tableName, Key: { [PK]: partKey(rotationId, version, i) } }))));

/** The state after the commits' events that are newer than the position (what apply writes). */
export const queueStateAfter = (from: QueueViewPosition, commits: readonly StoredCommit[]): RotationState =>
  // fold: the decider's whole-sequence evolve (copies the state once, not per event); `from.state` is left as it is.
  fold(rotationDecider, eventsAfter(from, commits).map(({ commit, event }) => toRotationEvent(event, commit)), from.state);

export interface QueueViewProjectionOptions {
  /** On one machine: where each state just written goes, for reads to render from (read-your-writes). */
  readonly hot?: HotQueueViews;
  readonly maxParts?: number;
}

export const createQueueViewProjection = (
  doc: DynamoDBDocumentClient,
  tableName: string = QUEUE_VIEW_TABLE.tableName,
  { hot, maxParts = DEFAULT_MAX_PARTS }: QueueViewProjectionOptions = {},
): Projection<QueueViewPosition> => ({
  name: QUEUE_VIEW_PROJECTION,
  accepts: isRotationStream,

  async load(streamId) {
    const read = await readView(doc, tableName, rotationIdOf(streamId));
    return read
      ? { streamId, version: read.item.version, lastSeq: read.item.lastSeq, state: read.state, parts: read.item.parts ?? 0 }
      : { streamId, version: 0, lastSeq: 0, state: initialRotationState, parts: 0 };
  },

  async apply(from, commits) {
    const last = commits.at(-1);
    if (!last) return from;
    const state = queueStateAfter(from, commits);
    const { version, lastSeq } = checkpointAfter(from, commits);
    const rotationId = rotationIdOf(from.streamId);
    const encoded = encodeState(state);
    const inline = encoded.byteLength <= MAX_INLINE_STATE_BYTES;
    const parts = inline ? 0 : Math.ceil(encoded.byteLength / PART_BYTES);
    if (parts > maxParts) {
      throw new ReadModelTooLargeError(QUEUE_VIEW_PROJECTION, rotationId, encoded.byteLength, maxParts * PART_BYTES);
    }
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
      ...(state.status === 'open' && state.currentTurn ? { [OPEN_TURNS_INDEX.partitionKey.name]: state.currentTurn.turnId } : {}),
      ...(inline ? { stateEncoding: 'gzip-json', state: encoded } : { stateEncoding: 'gzip-json-parts', parts }),
    };
    const size = itemSizeBytes(item);
    if (size > MAX_QUEUE_VIEW_ITEM_BYTES) throw new ReadModelTooLargeError(QUEUE_VIEW_PROJECTION, rotationId, size, MAX_QUEUE_VIEW_ITEM_BYTES);
    // Parts first, under keys of this version: the view's item names them only once they are all there.
    const chunks = Array.from({ length: parts }, (_, i) => encoded.subarray(i * PART_BYTES, (i + 1) * PART_BYTES));
    await batchWrite(doc, tableName, chunks.map((chunk, i) => ({ PutRequest: { Item: { [PK]: partKey(rotationId, version, i), chunk } } })));
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
    // The parts of the state this replaced are no longer named by anything (a failure here only leaves litter).
    if (from.parts && from.version !== version) await deleteParts(doc, tableName, rotationId, from.version, from.parts).catch(() => undefined);
    hot?.set(rotationId, { state, version, headHash: last.hash });
    return { streamId: from.streamId, version, lastSeq, state, parts };
  },

  /** One conditional put from the whole stream: a view a live delivery wrote meanwhile is never replaced. */
  rebuild(streamId, commits) {
    return this.apply({ streamId, version: 0, lastSeq: 0, state: initialRotationState, parts: 0 }, commits);
  },

  clear: () => deleteItems(doc, tableName, [PK]),
});

/** The API's queue reader over the read model: one GetItem, the view rendered for `now`. */
export const createQueueViewReader = (
  doc: DynamoDBDocumentClient,
  tableName: string = QUEUE_VIEW_TABLE.tableName,
  /** Rendered from when held; a rotation read from the table is held from then on. */
  hot?: HotQueueViews,
): QueueViewReader => {
  const held = async (rotationId: string): Promise<HotQueueView | null> => {
    const known = hot?.get(rotationId);
    if (known) return known;
    const read = await readView(doc, tableName, rotationId);
    if (!read) return null;
    const { item, state } = read;
    const view = { state, version: item.version, ...(item.headHash === undefined ? {} : { headHash: item.headHash }) };
    hot?.set(rotationId, view);
    return view;
  };
  return {
    async read(rotationId, now) {
      const view = await held(rotationId);
      return view && renderQueueView(view, now);
    },
    async readJson(rotationId, now) {
      const view = await held(rotationId);
      return view && renderQueueViewBytes(view, now);
    },
  };
};

/** The stored state and version of a rotation (tests and the CLI compare it with a fresh fold). */
export const readQueueViewState = async (
  doc: DynamoDBDocumentClient,
  rotationId: string,
  tableName: string = QUEUE_VIEW_TABLE.tableName,
): Promise<{ state: RotationState; version: number; lastSeq: number } | null> => {
  const read = await readView(doc, tableName, rotationId);
  return read ? { state: read.state, version: read.item.version, lastSeq: read.item.lastSeq } : null;
};
