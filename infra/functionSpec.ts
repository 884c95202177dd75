/**
 * The shape of one row of the function table (infra/functions.ts): everything the stack needs to build,
 * wire and permit a Lambda, declared as data so a handler's entry, export, triggers and rights live in one place.
 */
import type { TableKey } from '../src/eventstore/tables';
import type { EventPattern } from '../src/eventbus/matcher';

/**
 * Exactly the item calls the code makes (infra/constructs/engineFunctions.ts TABLE_ACTIONS); no Scan, no batch
 * reads, no transactions:
 * - read: GetItem, Query.
 * - append: read + PutItem only — the event log is append-only (conditional puts), never updated or deleted.
 * - readWrite: read + PutItem, UpdateItem, DeleteItem.
 * - readWriteBatch: readWrite + BatchWriteItem (a projection's bulk puts).
 */
export type TableAccess = 'read' | 'append' | 'readWrite' | 'readWriteBatch';

export interface BusRuleSpec {
  /** Construct id of the rule, e.g. 'StartTurnWorkflowRule'. */
  readonly id: string;
  readonly description: string;
  /** A shared pattern constant from src/ (EventBridge JSON, `detail-type`). */
  readonly pattern: EventPattern;
}

export type FunctionTrigger =
  /** The HTTP API's Lambda integration (every route but /health needs the JWT authorizer). */
  | { readonly kind: 'httpApi' }
  /** The events table's DynamoDB stream, one batch at a time per shard, failures reported per item. */
  | { readonly kind: 'eventsStream'; readonly batchSize: number }
  /** EventBridge rules on the engine's bus (one function may serve several). */
  | { readonly kind: 'busRules'; readonly rules: readonly BusRuleSpec[] }
  /** A Task state of the turn workflow: the function's ARN is the value of this DefinitionSubstitutions key. */
  | { readonly kind: 'turnWorkflowTask'; readonly substitutionKey: string }
  /** Cognito's post-confirmation trigger of the user pool (a self-signed-up user just confirmed). */
  | { readonly kind: 'cognitoPostConfirmation' }
  /** An EventBridge Scheduler schedule invoking the function every `everyMinutes` (asynchronously). */
  | { readonly kind: 'schedule'; readonly everyMinutes: number; readonly description: string };

export interface FunctionSpec {
  /** Construct id, e.g. 'Api'; also names its log group, alarms and Powertools service. */
  readonly id: string;
  /** Handler source, relative to the repository root. */
  readonly entry: string;
  /** Name of the exported handler function. */
  readonly handler: string;
  readonly description: string;
  readonly trigger: FunctionTrigger;
  /** Tables it may touch, and how; each one also sets the table's name env var (TableLayout.envVar). */
  readonly tables?: Partial<Record<TableKey, TableAccess>>;
  /** A sparse index (src/eventstore/tables.ts) it may Scan, per table; nothing scans a whole table. */
  readonly scansIndex?: Partial<Record<TableKey, string>>;
  /** Turn alerts: SMS through SNS to phone numbers, email through the stage's SES identity (infra/constructs/alertChannels.ts). */
  readonly sendsAlerts?: boolean;
  /** Publishes queue views to the live rotations namespace (AppSync Events, IAM). Sets LIVE_EVENTS_URL. */
  readonly publishesLiveViews?: boolean;
  /** PutEvents on the engine's bus. Sets EVENT_BUS_NAME. */
  readonly putsBusEvents?: boolean;
  /**
   * The turn state machine: start executions, answer its waiting task tokens, or reconcile (start executions and
   * describe them). Sets its ARN env var where the function needs it.
   */
  readonly turnWorkflow?: 'startExecution' | 'sendTaskResult' | 'reconcile';
  /** cognito-idp:AdminAddUserToGroup on the engine's user pool (the sign-up trigger). */
  readonly addsUsersToGroups?: boolean;
  /** Writes closed rotations' heads to the anchor bucket (PutObject only). Sets ANCHORS_BUCKET.envVar. */
  readonly writesAnchors?: boolean;
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
}
