/**
 * A DynamoDB Streams record of the event table (NEW_IMAGE) → the commit it carries: the one parser of those
 * records (projections, the publisher and the local live updates all read them here). The image is the item
 * as stored, so it becomes a commit through the store's own item conversion (eventstore/commitItem.ts).
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { StoredCommit } from '../eventstore/commit';
import { commitOfItem, type Item } from '../eventstore/commitItem';
import { EVENTS_TABLE } from '../eventstore/tables';
import { MalformedStreamRecordError } from './errors';
import { heldCommit } from '../eventstore/heldCommits';

export type ParsedRecord =
  /** A commit to apply. */
  | { readonly kind: 'commit'; readonly sequenceNumber: string; readonly commit: StoredCommit }
  /** Nothing to apply: an item removed from the event table (commits are never removed by the engine). */
  | { readonly kind: 'ignored'; readonly sequenceNumber: string; readonly streamId: string | undefined }
  /** Not a commit; `streamId` when the keys at least say which stream it belongs to. */
  | { readonly kind: 'malformed'; readonly sequenceNumber: string; readonly streamId: string | undefined; readonly error: MalformedStreamRecordError };

type Image = Item;

export const sequenceNumberOf = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? record.eventID ?? '';

/** The commit's stream and version, from the record's keys alone (any event name), or null without them. */
export const keysOfStreamRecord = (record: DynamoDBRecord): { streamId: string; version: number } | null => {
  const keys = record.dynamodb?.Keys as Image | undefined;
  const streamId = keys?.[EVENTS_TABLE.partitionKey.name]?.S;
  const version = Number(keys?.[EVENTS_TABLE.sortKey.name]?.N);
  return streamId === undefined || !Number.isInteger(version) ? null : { streamId, version };
};

export const parseStreamRecord = (record: DynamoDBRecord): ParsedRecord => {
  const sequenceNumber = sequenceNumberOf(record);
  const keys = record.dynamodb?.Keys as Image | undefined;
  const keyStream = keys?.[EVENTS_TABLE.partitionKey.name]?.S;
  const malformed = (problem: string, streamId = keyStream): ParsedRecord => ({
    kind: 'malformed',
    sequenceNumber,
    streamId,
    error: new MalformedStreamRecordError(sequenceNumber, problem),
  });

  if (record.eventName === 'REMOVE') return { kind: 'ignored', sequenceNumber, streamId: keyStream };
  const held = heldCommit(record);
  if (held) return { kind: 'commit', sequenceNumber, commit: held };
  const image = record.dynamodb?.NewImage as Image | undefined;
  if (!image) return malformed('it has no NewImage (the event table stream must be NEW_IMAGE)');
  const imageStream = image[EVENTS_TABLE.partitionKey.name]?.S ?? keyStream;
  let commit: Record<string, unknown>;
  try {
    commit = commitOfItem(image) as unknown as Record<string, unknown>;
  } catch (err) {
    return malformed(`its NewImage holds no readable commit (${(err as Error).message})`, imageStream);
  }
  const problem = commitProblem(commit);
  if (problem) return malformed(problem, imageStream);
  return { kind: 'commit', sequenceNumber, commit: commit as unknown as StoredCommit };
};

/** What makes an item not a commit, or null. Only what the projections rely on is checked. */
const commitProblem = (item: Record<string, unknown>): string | null => {
  if (typeof item.streamId !== 'string' || item.streamId === '') return 'streamId is missing';
  if (!Number.isInteger(item.version) || (item.version as number) < 1) return 'version is not a positive integer';
  if (typeof item.at !== 'string') return 'at is missing';
  if (!Array.isArray(item.events) || item.events.length === 0) return 'events is not a non-empty list';
  for (const e of item.events as Record<string, unknown>[]) {
    if (typeof e !== 'object' || e === null || !Number.isInteger(e.seq) || typeof e.type !== 'string') {
      return 'an event lacks an integer seq or a type';
    }
  }
  return null;
};
