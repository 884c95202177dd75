/**
 * Opens the event table and read models the CLI works on: the embedded store in the engine's data folder
 * (exclusive: it takes the same lock `npm start` does), or any DynamoDB endpoint with table names from env.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { ANCHORS_BUCKET, type AnchorStore } from '../eventstore/anchors';
import { createS3AnchorStore } from '../eventstore/s3Anchors';
import { createAnchorLog } from '../local/anchorLog';
import { StoreLockedError } from '../eventstore/errors';
import { createDynamoEventStore } from '../eventstore/dynamoEventStore';
import { type EventStore } from '../eventstore/store';
import { tableNames, type TableNames } from '../eventstore/tables';
import { startEmbeddedDynamo } from '../local/embeddedDynamo';
import { createRotationReadModels, type RotationReadModels } from '../projections';
import type { StoreOptions } from './args';
import { CliError } from './errors';

export interface Connection {
  readonly store: EventStore;
  readonly readModels: RotationReadModels;
  /** Closed rotations' anchored heads: the data folder's anchor log, or the anchor bucket named by the environment. */
  readonly anchors?: AnchorStore;
  readonly tableNames: TableNames;
  /** The DynamoDB client itself, for maintenance on the tables (index-streams). */
  readonly client: DynamoDBClient;
  /** For messages: "the data folder /x/.data" or "DynamoDB at http://…". */
  readonly where: string;
  close(): Promise<void>;
}

export const connect = async (options: StoreOptions, env: Readonly<Record<string, string | undefined>>): Promise<Connection> =>
  options.endpoint !== undefined ? connectToEndpoint(options.endpoint, env) : openDataFolder(resolve(options.dataDir));

const openDataFolder = async (dataDir: string): Promise<Connection> => {
  // Opening would create an empty store, in whatever folder was named (even /etc): a wrong path says so instead.
  // A data folder is one where the engine's store (LevelDB, its CURRENT file) already is.
  if (!existsSync(join(dataDir, 'CURRENT'))) {
    throw new CliError(
      'no-data',
      `There is no data folder at ${dataDir}${existsSync(dataDir) ? ' (that folder holds no store of this engine)' : ''}. Point --data-dir (or DATA_DIR) at the folder npm start uses.`,
    );
  }
  // What LevelDB writes while the CLI has it open is private, as the engine's own files are (dataFolder.ts).
  process.umask(0o077);
  let dynamo;
  try {
    dynamo = await startEmbeddedDynamo({ dataDir, transport: 'in-process' });
  } catch (err) {
    if (err instanceof StoreLockedError) throw new CliError('store-locked', lockedMessage(dataDir, err.holderPid), 3, { cause: err });
    throw err;
  }
  const { client, tableNames: names } = dynamo;
  return {
    store: createDynamoEventStore({ client, tableName: names.events }),
    readModels: createRotationReadModels(client, names),
    anchors: createAnchorLog(dataDir),
    tableNames: names,
    client,
    where: `the data folder ${dataDir}`,
    close: () => dynamo.close(),
  };
};

const connectToEndpoint = async (endpoint: string, env: Readonly<Record<string, string | undefined>>): Promise<Connection> => {
  const aws = endpoint === 'aws';
  if (!aws && !/^https?:\/\//.test(endpoint)) throw new CliError('usage', `--endpoint takes a URL (http://host:port) or "aws", not "${endpoint}".`);
  const client = new DynamoDBClient({
    ...(aws ? {} : { endpoint, region: env.AWS_REGION ?? 'us-east-1' }),
    // A local endpoint (dynalite, DynamoDB Local) takes any credentials; AWS uses the usual chain.
    ...(!aws && !env.AWS_ACCESS_KEY_ID ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  const names = tableNames({ env });
  const bucket = env[ANCHORS_BUCKET.envVar];
  return {
    store: createDynamoEventStore({ client, tableName: names.events }),
    readModels: createRotationReadModels(client, names),
    ...(bucket ? { anchors: createS3AnchorStore({ s3: new S3Client(aws ? {} : { endpoint, region: env.AWS_REGION ?? 'us-east-1', forcePathStyle: true }), bucket }) } : {}),
    tableNames: names,
    client,
    where: aws ? `DynamoDB (${names.events})` : `DynamoDB at ${endpoint} (${names.events})`,
    close: async () => client.destroy(),
  };
};

/**
 * The embedded store serves one process at a time. The running engine's API has the audit trail (for the
 * rotation's KJ) but not the hashes, and no rebuild, so the honest advice is: stop it, or use the API.
 */
const lockedMessage = (dataDir: string, pid: number | undefined) =>
  [
    `The engine is running on ${dataDir}${pid !== undefined ? ` (process ${pid})` : ''}, and its store opens in one process at a time.`,
    'Stop npm start first (Ctrl-C), then run this again. Or, while it runs:',
    '  - the audit trail is in its API, as the rotation\'s KJ: GET /rotations/<id>/events and GET /rotations/<id>/state?seq=N',
    '  - a rebuild needs it stopped; a plain restart already catches every read model up with the event table.',
  ].join('\n');
