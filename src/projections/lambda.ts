/**
 * The projections Lambda: the event table's DynamoDB stream (NEW_IMAGE) → queue view and singer history.
 * One function for both read models, because a stream shard should have at most two readers (this and the
 * publisher). The event source mapping needs FunctionResponseTypes: ['ReportBatchItemFailures'].
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoEventStore } from '../eventstore/store';
import { tableNames } from '../eventstore/tables';
import { createRotationReadModels } from './index';
import { createProjectionStreamHandler } from './streamHandler';

const client = new DynamoDBClient({});
const names = tableNames({ env: process.env });

export const handler = createProjectionStreamHandler({
  projections: createRotationReadModels(client, names).projections,
  store: createDynamoEventStore({ client, tableName: names.events }),
});
