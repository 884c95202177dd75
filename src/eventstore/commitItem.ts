/**
 * A commit as its events-table item, both ways: the one place that knows the stored form, used by the DynamoDB
 * adapter, the item-size limit and every reader of DynamoDB Streams records (their images are these items).
 *
 * An item is its keys plus one string attribute, `commit`, that packs everything else as a JSON array
 * (events as [seq, type, schemaVersion, data] tuples). Reading a night is then, per item, one small string to
 * move and one JSON.parse, instead of a map of attributes that DynamoDB, the wire and the SDK each walk.
 * Items written before keep their separate attributes (events as a JSON string, or earlier as a list of
 * maps) and are still read; the hash covers the commit's content, never its encoding, so both verify alike.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { StoredCommit, StoredEvent } from './commit';
import { itemSizeBytes } from './dynamo';
import { EVENTS_TABLE, FIRST_COMMITS_INDEX, FIRST_COMMIT_MARK } from './tables';

export type Item = Record<string, AttributeValue>;

const PK = EVENTS_TABLE.partitionKey.name;
const SK = EVENTS_TABLE.sortKey.name;
const MARK = FIRST_COMMITS_INDEX.partitionKey.name;

/** The attribute that holds the packed commit. */
export const PACKED_ATTRIBUTE = 'commit';

type PackedEvent = [seq: number, type: string, schemaVersion: number, data?: unknown];
/** The version is packed too, so a Query can project this one attribute (the stream id is the Query's). */
type Packed = [version: number, commandId: string, actorId: string, actorRole: string, at: string, prevHash: string, hash: string, events: PackedEvent[]];

const packEvent = ({ seq, type, schemaVersion, data }: StoredEvent): PackedEvent =>
  // An undefined data stays absent (as JSON drops it from an object), so the commit hashes the same read back.
  data === undefined ? [seq, type, schemaVersion] : [seq, type, schemaVersion, data];

const unpackEvent = (packed: PackedEvent): StoredEvent =>
  packed.length > 3
    ? { seq: packed[0], type: packed[1], schemaVersion: packed[2], data: packed[3] }
    : ({ seq: packed[0], type: packed[1], schemaVersion: packed[2] } as StoredEvent);

/** Packed once per commit: an append both measures the item and writes it. Commits are never changed. */
const packed = new WeakMap<StoredCommit, string>();

const pack = (c: StoredCommit): string => {
  let json = packed.get(c);
  if (json === undefined) {
    json = JSON.stringify([c.version, c.commandId, c.actor.id, c.actor.role, c.at, c.prevHash, c.hash, c.events.map(packEvent)] satisfies Packed);
    packed.set(c, json);
  }
  return json;
};

/** The item's attributes as plain values (what DynamoDB stores and bills; a first commit also keys the index). */
const plainItemOf = (commit: StoredCommit): Record<string, string | number> => ({
  [PK]: commit.streamId,
  [SK]: commit.version,
  [PACKED_ATTRIBUTE]: pack(commit),
  ...(commit.version === 1 ? { [MARK]: FIRST_COMMIT_MARK } : {}),
});

export const itemOfCommit = (commit: StoredCommit): Item => {
  const item: Item = {
    [PK]: { S: commit.streamId },
    [SK]: { N: String(commit.version) },
    [PACKED_ATTRIBUTE]: { S: pack(commit) },
  };
  if (commit.version === 1) item[MARK] = { S: FIRST_COMMIT_MARK };
  return item;
};

/** The size of the item a commit is stored as, which DynamoDB limits to 400 KB. */
export const commitItemBytes = (commit: StoredCommit): number => itemSizeBytes(plainItemOf(commit));

/**
 * An events-table item (read from the table, or a stream record's image) as the commit it holds. `streamId`
 * is for items read without their keys (a Query projecting only the packed attribute). Throws on an item
 * that holds no commit in a form this code knows.
 */
export const commitOfItem = (item: Item, streamId: string | undefined = item[PK]?.S): StoredCommit => {
  const packed = item[PACKED_ATTRIBUTE]?.S;
  if (packed === undefined) return commitOfOlderItem(item);
  if (streamId === undefined) throw new TypeError('The item has no streamId');
  const fields = JSON.parse(packed) as Packed;
  const version = fields[0];
  const keyVersion = item[SK]?.N;
  if (keyVersion !== undefined && Number(keyVersion) !== version) {
    throw new TypeError(`${streamId}: the item at version ${keyVersion} holds version ${version}`);
  }
  const events = fields[7];
  if (!Array.isArray(events)) throw new TypeError(`${streamId}@${version}: the packed commit has no events`);
  return {
    streamId,
    version,
    commandId: fields[1],
    actor: { id: fields[2], role: fields[3] },
    at: fields[4],
    events: events.map(unpackEvent),
    prevHash: fields[5],
    hash: fields[6],
  };
};

/** Whether an item is in the packed form (a Query projecting `commit` gets nothing from an older item). */
export const isPackedItem = (item: Item): boolean => item[PACKED_ATTRIBUTE]?.S !== undefined;

/** An item written before the packed form: one attribute per field, events a JSON string or a list of maps. */
const commitOfOlderItem = (item: Item): StoredCommit => {
  const { [MARK]: _mark, ...commit } = unmarshall(item);
  if (typeof commit.events === 'string') commit.events = JSON.parse(commit.events);
  return commit as StoredCommit;
};
