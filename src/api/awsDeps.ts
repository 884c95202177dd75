import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { ANCHORS_BUCKET } from '../eventstore/anchors';
import { createS3AnchorStore } from '../eventstore/s3Anchors';
import { createDynamoEventStore } from '../eventstore/dynamoEventStore';
import { tableNames } from '../eventstore/tables';
import { createContactRegistry } from '../notifiers/contactRegistry';
import { createDynamoContactStore } from '../notifiers/contacts';
import type { ApiDeps } from './deps';
import { createDynamoJoinCodes } from './joinCodes';
import { awsPageConfigFrom, type AwsPageConfig } from './pageConfig';
import { createIdempotencyGuard } from './http/idempotency';
import { apiGatewayClaims } from './http/principal';
import { createLogger } from './logger';
import { createRotationReadModels } from '../projections';
import { createRotationService } from '../eventstore/rotationService';
import { createDynamoBookStore } from '../songbook/bookStore';
import { createSongbooks } from '../songbook/songbooks';

/**
 * Lambda takes at most 6 MB of request payload (API Gateway's HTTP API 10 MB); headers and the event around the
 * body need some of it. A larger songbook file gets a 413 that says so, not API Gateway's bare error.
 */
export const AWS_MAX_UPLOAD_BYTES = 5.5 * 1024 * 1024;

/** The API's adapters in AWS: DynamoDB tables and the bucket named by the environment the CDK app sets. */
export const awsApiDeps = (env: NodeJS.ProcessEnv = process.env): ApiDeps => {
  const client = new DynamoDBClient({});
  let pageConfig: AwsPageConfig | undefined;
  const names = tableNames({ env });
  const service = createRotationService({ store: createDynamoEventStore({ client, tableName: names.events }) });
  // The queue and history routes read the projections' tables, which the projections Lambda keeps up to date.
  const readModels = createRotationReadModels(client, names);
  return {
    service,
    queue: readModels.queue,
    history: readModels.history,
    contacts: createContactRegistry({ contacts: createDynamoContactStore({ client, tableName: names.contacts }) }),
    idempotency: createIdempotencyGuard({ client, tableName: names.idempotency }),
    joinCodes: createDynamoJoinCodes({ client, tableName: names.joinCodes }),
    ...(env[ANCHORS_BUCKET.envVar] ? { anchors: createS3AnchorStore({ s3: new S3Client({}), bucket: env[ANCHORS_BUCKET.envVar]! }) } : {}),
    claims: apiGatewayClaims,
    logger: createLogger(),
    now: () => new Date().toISOString(),
    newId: randomUUID,
    // Other containers change books too: a kept book is checked against its head at most every few seconds.
    songbooks: createSongbooks({ store: createDynamoBookStore({ client, tableName: names.songbook }), freshForMs: 3000 }),
    maxUploadBytes: AWS_MAX_UPLOAD_BYTES,
    // Read when first asked: a deployment missing a variable still serves every other route.
    pageConfig: (origin) => (pageConfig ??= awsPageConfigFrom(env, origin)),
  };
};
