/**
 * Every DynamoDB table of the engine, built from the layouts in src/eventstore/tables.ts, so keys, stream and
 * TTL attribute are the ones the code (and the local runtime) uses.
 */
import { aws_dynamodb as dynamodb, RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TABLES, type TableKey, type TableLayout } from '../../src/eventstore/tables';

export type EngineTableMap = { readonly [K in TableKey]: dynamodb.Table };

export interface EngineTablesProps {
  /** For the events and songbook tables: the log is the source of truth, a songbook exists nowhere else. */
  readonly durableRemovalPolicy: RemovalPolicy;
  /** For everything else: read models rebuild from the log; tokens, keys and alerts are short-lived. */
  readonly disposableRemovalPolicy: RemovalPolicy;
}

/**
 * The tables whose loss would lose what nothing can rebuild: the log (history) and the KJs' songbooks (imported
 * catalogues; only their popular-song counters derive from the log). Contacts can be lost too, but on purpose:
 * they are personal data, which a tear-down erases (infra/README.md).
 */
const DURABLE: ReadonlySet<TableKey> = new Set<TableKey>(['events', 'songbook']);

const attribute = (key: TableLayout['partitionKey']): dynamodb.Attribute => ({
  name: key.name,
  type: { S: dynamodb.AttributeType.STRING, N: dynamodb.AttributeType.NUMBER, B: dynamodb.AttributeType.BINARY }[key.type],
});

const STREAM_VIEW: Record<NonNullable<TableLayout['stream']>, dynamodb.StreamViewType> = {
  NEW_IMAGE: dynamodb.StreamViewType.NEW_IMAGE,
  NEW_AND_OLD_IMAGES: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
  KEYS_ONLY: dynamodb.StreamViewType.KEYS_ONLY,
  OLD_IMAGE: dynamodb.StreamViewType.OLD_IMAGE,
};

/** Construct id of a table, e.g. queueView → QueueViewTable. */
export const tableConstructId = (key: TableKey): string => `${key[0]!.toUpperCase()}${key.slice(1)}Table`;

export class EngineTables extends Construct {
  readonly byKey: EngineTableMap;

  constructor(scope: Construct, id: string, props: EngineTablesProps) {
    super(scope, id);
    const byKey = {} as Record<TableKey, dynamodb.Table>;
    for (const key of Object.keys(TABLES) as TableKey[]) {
      const layout: TableLayout = TABLES[key];
      const durable = DURABLE.has(key);
      // No physical names: CloudFormation names them, so stages share an account and a retained table never
      // blocks a redeploy. Lambdas learn the names from each layout's envVar.
      const table = new dynamodb.Table(this, tableConstructId(key), {
        partitionKey: attribute(layout.partitionKey),
        ...(layout.sortKey ? { sortKey: attribute(layout.sortKey) } : {}),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: dynamodb.TableEncryption.AWS_MANAGED,
        ...(layout.stream ? { stream: STREAM_VIEW[layout.stream] } : {}),
        ...(layout.timeToLiveAttribute ? { timeToLiveAttribute: layout.timeToLiveAttribute } : {}),
        // PITR where data cannot be rebuilt: the log, songbooks, contacts (kept out of the log so they can be erased).
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: durable || key === 'contacts' },
        // A retained table is also protected from deletion outside CloudFormation (console, CLI).
        deletionProtection: durable && props.durableRemovalPolicy === RemovalPolicy.RETAIN,
        removalPolicy: durable ? props.durableRemovalPolicy : props.disposableRemovalPolicy,
      });
      for (const index of layout.indexes ?? []) {
        table.addGlobalSecondaryIndex({
          indexName: index.indexName,
          partitionKey: attribute(index.partitionKey),
          ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
          projectionType: dynamodb.ProjectionType.KEYS_ONLY,
        });
      }
      byKey[key] = table;
    }
    this.byKey = byKey;
  }
}
