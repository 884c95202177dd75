/**
 * Table layouts, defined once: the local bootstrap (src/local) and the CDK app (infra/) both import these,
 * so key names and types cannot drift between code and infrastructure.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export type KeyAttributeType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyAttributeType;
}

export interface TableLayout {
  /** Default physical name (a prefix may be prepended, see tableNames). */
  readonly tableName: string;
  /** Environment variable that carries the deployed name into a Lambda (CDK sets it, tableNames reads it). */
  readonly envVar: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** Epoch-seconds attribute DynamoDB TTL deletes on (set by CDK; dynalite has no TTL). */
  readonly timeToLiveAttribute?: string;
  readonly stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' | 'OLD_IMAGE';
  /** Global secondary indexes, keys only: each answers a listing a full-table Scan would otherwise answer. */
  readonly indexes?: readonly IndexLayout[];
}

export interface IndexLayout {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

/**
 * Which streams exist: a stream's first commit, and only it, carries the index's key (FIRST_COMMIT_MARK), so
 * one Query lists the streams whatever the history holds, and later commits cost no index write.
 */
export const FIRST_COMMITS_INDEX = {
  indexName: 'first-commits',
  partitionKey: { name: 'firstCommit', type: 'S' },
  sortKey: { name: 'streamId', type: 'S' },
} as const satisfies IndexLayout;

export const FIRST_COMMIT_MARK = 'stream';

/** Which rotations have a turn open: the queue view sets openTurnId only then, so the index holds just those. */
export const OPEN_TURNS_INDEX = {
  indexName: 'open-turns',
  partitionKey: { name: 'openTurnId', type: 'S' },
} as const satisfies IndexLayout;

/** One item per commit; DynamoDB Streams feeds projections and the publisher, in order per stream. */
export const EVENTS_TABLE = {
  tableName: 'rotation-events',
  envVar: 'EVENTS_TABLE_NAME',
  partitionKey: { name: 'streamId', type: 'S' },
  sortKey: { name: 'version', type: 'N' },
  stream: 'NEW_IMAGE',
  indexes: [FIRST_COMMITS_INDEX],
} as const satisfies TableLayout;

/** @aws-lambda-powertools/idempotency 2.x DynamoDBPersistenceLayer defaults: keyAttr 'id', expiryAttr 'expiration'. */
export const IDEMPOTENCY_TABLE = {
  tableName: 'rotation-idempotency',
  envVar: 'IDEMPOTENCY_TABLE_NAME',
  partitionKey: { name: 'id', type: 'S' },
  timeToLiveAttribute: 'expiration',
} as const satisfies TableLayout;

export const QUEUE_VIEW_TABLE = {
  tableName: 'rotation-queue-view',
  envVar: 'QUEUE_VIEW_TABLE_NAME',
  partitionKey: { name: 'rotationId', type: 'S' },
  indexes: [OPEN_TURNS_INDEX],
} as const satisfies TableLayout;

export const SINGER_HISTORY_TABLE = {
  tableName: 'rotation-singer-history',
  envVar: 'SINGER_HISTORY_TABLE_NAME',
  partitionKey: { name: 'singerId', type: 'S' },
  sortKey: { name: 'performanceKey', type: 'S' },
} as const satisfies TableLayout;

/** Last applied event seq per projection and stream, so projections apply exactly once. */
export const PROJECTION_CHECKPOINTS_TABLE = {
  tableName: 'rotation-projection-checkpoints',
  envVar: 'PROJECTION_CHECKPOINTS_TABLE_NAME',
  partitionKey: { name: 'projection', type: 'S' },
  sortKey: { name: 'streamId', type: 'S' },
} as const satisfies TableLayout;

/**
 * The epoch-seconds TTL value `seconds` after an instant: DynamoDB deletes the item some time after it (in AWS;
 * dynalite keeps everything). Used by the tables whose items only matter for a night.
 */
export const expiresAtAfter = (at: Date | string, seconds: number): number => Math.floor(new Date(at).getTime() / 1000) + seconds;

/** An alert's dedupe claim is needed while its turn's workflow may retry: a month is plenty, and keeps an audit. */
export const ALERT_RECORD_TTL_SECONDS = 30 * 24 * 3600;
/** A task token is useless once its execution ended (at most TURN_EXECUTION_TIMEOUT_SECONDS): two days. */
export const TASK_TOKEN_TTL_SECONDS = 2 * 24 * 3600;

/** Alert outbox and dedupe: one item per (singer, turn, alert) key, so an alert fires at most once. */
export const ALERTS_TABLE = {
  tableName: 'rotation-alerts',
  envVar: 'ALERTS_TABLE_NAME',
  partitionKey: { name: 'alertKey', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableLayout;

/** Step Functions task tokens of turns waiting for the singer to take the stage. */
export const TASK_TOKENS_TABLE = {
  tableName: 'rotation-task-tokens',
  envVar: 'TASK_TOKENS_TABLE_NAME',
  partitionKey: { name: 'turnId', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableLayout;

/** Singer contact details (phone, email) kept out of the event log. */
export const CONTACTS_TABLE = {
  tableName: 'rotation-contacts',
  envVar: 'CONTACTS_TABLE_NAME',
  partitionKey: { name: 'singerId', type: 'S' },
} as const satisfies TableLayout;

/**
 * KJs' songbooks (src/songbook/bookStore.ts): per KJ a head item naming the current import, that import's chunks
 * of songs, its single-song edits, and request counts per venue. The head flips last, so readers never see half.
 */
export const SONGBOOK_TABLE = {
  tableName: 'rotation-songbook',
  envVar: 'SONGBOOK_TABLE_NAME',
  partitionKey: { name: 'bookKey', type: 'S' },
  sortKey: { name: 'part', type: 'S' },
} as const satisfies TableLayout;

/** The short codes phones join open rotations by (API.md "Joining by code"): one item per code in use. */
export const JOIN_CODES_TABLE = {
  tableName: 'rotation-join-codes',
  envVar: 'JOIN_CODES_TABLE_NAME',
  partitionKey: { name: 'code', type: 'S' },
} as const satisfies TableLayout;

export const TABLES = {
  events: EVENTS_TABLE,
  idempotency: IDEMPOTENCY_TABLE,
  queueView: QUEUE_VIEW_TABLE,
  singerHistory: SINGER_HISTORY_TABLE,
  projectionCheckpoints: PROJECTION_CHECKPOINTS_TABLE,
  alerts: ALERTS_TABLE,
  taskTokens: TASK_TOKENS_TABLE,
  contacts: CONTACTS_TABLE,
  joinCodes: JOIN_CODES_TABLE,
  songbook: SONGBOOK_TABLE,
} as const satisfies Record<string, TableLayout>;

export type TableKey = keyof typeof TABLES;
export type TableNames = { readonly [K in TableKey]: string };

export interface TableNamesOptions {
  /** Prepended to every default name, e.g. 'test-' (ignored for tables named by env). */
  readonly prefix?: string;
  /** Deployed names by each layout's envVar; pass process.env in a Lambda. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Physical table names: env var wins, else prefix + default name. */
export const tableNames = ({ prefix = '', env = {} }: TableNamesOptions = {}): TableNames => {
  const names = {} as Record<TableKey, string>;
  for (const key of Object.keys(TABLES) as TableKey[]) {
    const layout: TableLayout = TABLES[key];
    names[key] = env[layout.envVar] || `${prefix}${layout.tableName}`;
  }
  return names;
};

/** CreateTable input for a layout, on-demand billing. TTL needs a separate UpdateTimeToLive call. */
export const createTableInput = (
  layout: TableLayout,
  tableName: string = layout.tableName,
): CreateTableCommandInput => {
  const keySchema = (keys: readonly (KeyAttribute | undefined)[]) =>
    keys.filter((k) => k !== undefined).map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? ('HASH' as const) : ('RANGE' as const) }));
  const indexes = layout.indexes ?? [];
  const attributes = new Map<string, KeyAttributeType>();
  for (const k of [layout.partitionKey, layout.sortKey, ...indexes.flatMap((i) => [i.partitionKey, i.sortKey])]) {
    if (k) attributes.set(k.name, k.type);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: keySchema([layout.partitionKey, layout.sortKey]),
    ...(indexes.length > 0
      ? {
          GlobalSecondaryIndexes: indexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema([index.partitionKey, index.sortKey]),
            Projection: { ProjectionType: 'KEYS_ONLY' as const },
          })),
        }
      : {}),
    ...(layout.stream
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: layout.stream } }
      : {}),
  };
};

const STREAM_PREFIX = 'rotation#';

/** The event stream of one rotation (one karaoke night). */
export const streamIdFor = (rotationId: string): string => `${STREAM_PREFIX}${rotationId}`;

/** Whether a stream id is a rotation's (other streams are passed over by rotation readers). */
export const isRotationStream = (streamId: string): boolean =>
  streamId.startsWith(STREAM_PREFIX) && streamId.length > STREAM_PREFIX.length;

/** Reverse of streamIdFor; throws on a stream id that is not a rotation's. */
export const rotationIdOf = (streamId: string): string => {
  if (!streamId.startsWith(STREAM_PREFIX) || streamId.length === STREAM_PREFIX.length) {
    throw new Error(`Not a rotation stream id: "${streamId}" (expected "${STREAM_PREFIX}<rotationId>")`);
  }
  return streamId.slice(STREAM_PREFIX.length);
};
