/** TaskTokenStore on TASK_TOKENS_TABLE (DynamoDB in AWS, dynalite on one machine). */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { expiresAtAfter, TASK_TOKEN_TTL_SECONDS, TASK_TOKENS_TABLE } from '../../eventstore/tables';
import { documentClient, type AnyDynamoClient, isConditionFailed } from '../../eventstore/dynamo';
import type { TaskTokenRecord, TaskTokenStore } from '../ports';

export const createDynamoTaskTokenStore = ({
  client,
  tableName = TASK_TOKENS_TABLE.tableName,
}: {
  client: AnyDynamoClient;
  tableName?: string;
}): TaskTokenStore => {
  const doc = documentClient(client);
  return {
    put: async (record) => {
      const expiresAt = expiresAtAfter(record.registeredAt, TASK_TOKEN_TTL_SECONDS);
      await doc.send(new PutCommand({ TableName: tableName, Item: { ...record, [TASK_TOKENS_TABLE.timeToLiveAttribute]: expiresAt } }));
    },
    get: async (turnId) => {
      const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: { turnId }, ConsistentRead: true }));
      if (!Item) return null;
      const { [TASK_TOKENS_TABLE.timeToLiveAttribute]: _expiresAt, ...record } = Item;
      return record as TaskTokenRecord;
    },
    delete: async (turnId, taskToken) => {
      try {
        await doc.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { turnId },
            ConditionExpression: 'taskToken = :token',
            ExpressionAttributeValues: { ':token': taskToken },
          }),
        );
      } catch (err) {
        // A newer wait of the same turn replaced the record (or it is gone already): keep it.
        if (!isConditionFailed(err)) throw err;
      }
    },
  };
};
