/**
 * The projections Lambda: the event table's DynamoDB stream (NEW_IMAGE) → queue view, singer history and the
 * songbook's popular-at-this-venue counters, then each moved rotation's view to its live channel when the CDK
 * app set LIVE_EVENTS_URL. One function for all read models, because a stream shard should have at most two readers (this and the
 * publisher). The event source mapping needs FunctionResponseTypes: ['ReportBatchItemFailures'].
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoEventStore } from '../eventstore/dynamoEventStore';
import { tableNames } from '../eventstore/tables';
import { createRotationReadModels } from './index';
import { createAppSyncEventsPublisher, credentialsFromEnv, LIVE_EVENTS_URL_ENV } from './liveViewPublisher';
import { withLiveViews } from './liveViews';
import { createProjectionStreamHandler } from './streamHandler';

const client = new DynamoDBClient({});
const names = tableNames({ env: process.env });
const readModels = createRotationReadModels(client, names);
const liveUrl = process.env[LIVE_EVENTS_URL_ENV];

const project = createProjectionStreamHandler({
  projections: readModels.projections,
  store: createDynamoEventStore({ client, tableName: names.events }),
});

export const handler = liveUrl
  ? withLiveViews(project, {
      queue: readModels.queue,
      publisher: createAppSyncEventsPublisher({ url: liveUrl, region: process.env.AWS_REGION ?? '', credentials: credentialsFromEnv() }),
    })
  : project;
