/**
 * Per-projection, per-stream checkpoints in PROJECTION_CHECKPOINTS_TABLE, for read models whose items are not
 * one per stream (the singer history). A checkpoint may carry a little stream state the projection needs
 * later (the venue), since it is written with the same conditional put that advances it.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { PROJECTION_CHECKPOINTS_TABLE } from '../eventstore/tables';
import { deleteItems, isConditionFailed } from '../eventstore/dynamo';
import { ProjectionConflictError } from './errors';
import type { Checkpoint } from './projection';

const { partitionKey: PK, sortKey: SK } = PROJECTION_CHECKPOINTS_TABLE;

export interface CheckpointStore<P extends Checkpoint> {
  load(streamId: string): Promise<P | null>;
  /**
   * Writes `next` only if the stream is still at `expected.version` (absent when 0). With `appliedFrom`, the
   * position the caller applied from, which may be ahead of what is stored (a projection that writes its
   * checkpoint only now and then): then any stored version from `expected.version` up to it will do.
   */
  advance(expected: Checkpoint, next: P, appliedFrom?: number): Promise<void>;
  /** Writes `next` whatever is stored: only for a rebuild, whose projection can take a checkpoint going back. */
  overwrite(next: P): Promise<void>;
  clear(): Promise<number>;
}

export const createCheckpointStore = <P extends Checkpoint>(
  doc: DynamoDBDocumentClient,
  projection: string,
  tableName: string = PROJECTION_CHECKPOINTS_TABLE.tableName,
): CheckpointStore<P> => ({
  async load(streamId) {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: { [PK.name]: projection, [SK.name]: streamId }, ConsistentRead: true }),
    );
    if (!Item) return null;
    const { [PK.name]: _projection, ...checkpoint } = Item;
    return checkpoint as P;
  },

  async advance(expected, next, appliedFrom = expected.version) {
    const condition: Pick<PutCommandInput, 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> =
      appliedFrom === 0
        ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK.name } }
        : expected.version === 0
          ? {
              ConditionExpression: 'attribute_not_exists(#pk) OR #version <= :applied',
              ExpressionAttributeNames: { '#pk': PK.name, '#version': 'version' },
              ExpressionAttributeValues: { ':applied': appliedFrom },
            }
          : {
              ConditionExpression: '#version BETWEEN :expected AND :applied',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':expected': expected.version, ':applied': appliedFrom },
            };
    try {
      await doc.send(new PutCommand({ TableName: tableName, Item: { ...next, [PK.name]: projection, [SK.name]: next.streamId }, ...condition }));
    } catch (err) {
      if (isConditionFailed(err)) throw new ProjectionConflictError(projection, next.streamId, expected.version, { cause: err });
      throw err;
    }
  },

  async overwrite(next) {
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...next, [PK.name]: projection, [SK.name]: next.streamId } }));
  },

  clear: () =>
    deleteItems(doc, tableName, [PK.name, SK.name], {
      filter: '#projection = :projection',
      names: { '#projection': PK.name },
      values: { ':projection': projection },
    }),
});
