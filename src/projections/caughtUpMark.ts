/**
 * The caught-up mark: "every commit in the event table has reached every read model". Only a process that is
 * the table's one writer and projects every append itself can vouch for that: the one-machine engine, at a clean
 * stop, after the stream feed has drained with no failed or poison delivery. The next start takes the mark
 * (deletes it) before it accepts a command, and skips the catch-up, whose cost grows with the history; without
 * the mark (a crash, a failure, a poison record, a rebuild under way) it catches every stream up as before, so
 * a failure is retried and reported on every start until it is fixed.
 * It lives in the checkpoints table, under a projection name no read model uses.
 */
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PROJECTION_CHECKPOINTS_TABLE } from '../eventstore/tables';

const { partitionKey: PK, sortKey: SK } = PROJECTION_CHECKPOINTS_TABLE;
const KEY = { [PK.name]: '~engine', [SK.name]: '~caught-up' };

export interface CaughtUpMark {
  /** Records that the read models are current with the whole table (at a clean stop). */
  set(at: string): Promise<void>;
  /** Removes the mark; true if it was there (the read models were current when it was set). */
  take(): Promise<boolean>;
}

export const createCaughtUpMark = (doc: DynamoDBDocumentClient, tableName: string = PROJECTION_CHECKPOINTS_TABLE.tableName): CaughtUpMark => ({
  async set(at) {
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...KEY, at } }));
  },
  async take() {
    const { Attributes } = await doc.send(new DeleteCommand({ TableName: tableName, Key: KEY, ReturnValues: 'ALL_OLD' }));
    return Attributes !== undefined;
  },
});
