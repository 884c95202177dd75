import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type AnyDynamoClient = DynamoDBClient | DynamoDBDocumentClient;

/** Plain JS items in and out; optional fields left undefined are dropped rather than rejected. */
export const documentClient = (client: AnyDynamoClient): DynamoDBDocumentClient =>
  client instanceof DynamoDBDocumentClient
    ? client
    : DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
