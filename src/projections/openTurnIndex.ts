/**
 * Which rotations have a turn open right now, from the queue view's sparse open-turns index: a restart and the
 * AWS reconciler read only those rotations' logs, never every rotation the table ever held.
 */
import type { DynamoDBDocumentClient, ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { isMissingIndex, scanPages } from '../eventstore/dynamo';
import { OPEN_TURNS_INDEX, QUEUE_VIEW_TABLE } from '../eventstore/tables';

export interface OpenTurnIndex {
  /** Rotations whose queue view (as far as it is caught up) has a turn open. */
  rotationsWithOpenTurn(): Promise<string[]>;
}

const PK = QUEUE_VIEW_TABLE.partitionKey.name;

export const createOpenTurnIndex = (doc: DynamoDBDocumentClient, tableName: string = QUEUE_VIEW_TABLE.tableName): OpenTurnIndex => {
  const scanAll = async (input: Omit<ScanCommandInput, 'TableName'>): Promise<string[]> => {
    const ids: string[] = [];
    for await (const items of scanPages(doc, { TableName: tableName, ...input })) {
      for (const item of items) ids.push(item[PK] as string);
    }
    return ids;
  };
  return {
    async rotationsWithOpenTurn() {
      try {
        return await scanAll({ IndexName: OPEN_TURNS_INDEX.indexName });
      } catch (err) {
        if (!isMissingIndex(err)) throw err;
      }
      // A local data folder made before the index (dynalite cannot add one): every open rotation, whose
      // views may predate openTurnId; the caller checks each against its log anyway.
      return scanAll({
        ProjectionExpression: '#pk',
        FilterExpression: '#status = :open',
        ExpressionAttributeNames: { '#pk': PK, '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'open' },
      });
    },
  };
};
