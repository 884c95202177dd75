/**
 * Builds every function of the function table and gives each exactly the access its row declares, with the
 * env vars that name those resources. Wiring to triggers is the stack's job.
 */
import { aws_events as events, aws_iam as iam, aws_lambda as lambda, aws_logs as logs, type aws_dynamodb as dynamodb } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EVENT_BUS_NAME_ENV } from '../../src/eventbus/constants';
import { ANCHORS_BUCKET } from '../../src/eventstore/anchors';
import { TABLES, type TableKey } from '../../src/eventstore/tables';
import { TURN_STATE_MACHINE_ARN_ENV } from '../../src/workflows/names';
import type { LambdaCodeMode } from '../config';
import type { FunctionSpec, TableAccess } from '../functionSpec';
import type { AlertChannels } from './alertChannels';
import type { AnchorBucket } from './anchorBucket';
import { createEngineFunction } from './engineFunction';
import type { EngineTableMap } from './tables';
import type { TurnWorkflow } from './turnWorkflow';

/** The only task-token call the code makes (src/workflows/adapters/sfnCallbacks.ts): no failure, no heartbeat. */
const TASK_RESPONSE_ACTIONS = ['states:SendTaskSuccess'];

const READ = ['dynamodb:GetItem', 'dynamodb:Query'];
const READ_WRITE = [...READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/** The DynamoDB item calls each access level allows: those src/ makes, nothing CDK's grantRead/WriteData adds. */
export const TABLE_ACTIONS: Readonly<Record<TableAccess, readonly string[]>> = {
  read: READ,
  // The log only grows: conditional PutItem, never UpdateItem/DeleteItem.
  append: [...READ, 'dynamodb:PutItem'],
  readWrite: READ_WRITE,
  readWriteBatch: [...READ_WRITE, 'dynamodb:BatchWriteItem'],
};

export interface EngineFunctionsProps {
  readonly specs: readonly FunctionSpec[];
  readonly code: LambdaCodeMode;
  readonly stage: string;
  readonly logLevel: string;
  readonly logRetention?: logs.RetentionDays;
  readonly tables: EngineTableMap;
  readonly alerts: AlertChannels;
  readonly bus: events.IEventBus;
  readonly anchors: AnchorBucket;
}

export interface BuiltFunction {
  readonly spec: FunctionSpec;
  readonly fn: lambda.Function;
}

/** On the table only: CDK's table.grant would add its indexes too, which only an index scan needs. */
const grantTable = (table: dynamodb.Table, fn: lambda.Function, access: TableAccess): void => {
  iam.Grant.addToPrincipal({ grantee: fn, actions: [...TABLE_ACTIONS[access]], resourceArns: [table.tableArn] });
};

export class EngineFunctions extends Construct {
  readonly all: readonly BuiltFunction[];

  constructor(scope: Construct, id: string, props: EngineFunctionsProps) {
    super(scope, id);
    const ids = new Set<string>();
    this.all = props.specs.map((spec) => {
      if (ids.has(spec.id)) throw new Error(`Two functions in infra/functions.ts share the id ${spec.id}`);
      ids.add(spec.id);
      const fn = createEngineFunction(this, { spec, code: props.code, stage: props.stage, logLevel: props.logLevel, ...(props.logRetention ? { logRetention: props.logRetention } : {}) });

      for (const [key, access] of Object.entries(spec.tables ?? {}) as [TableKey, TableAccess][]) {
        const table = props.tables[key];
        grantTable(table, fn, access);
        fn.addEnvironment(TABLES[key].envVar, table.tableName);
      }
      for (const [key, indexName] of Object.entries(spec.scansIndex ?? {}) as [TableKey, string][]) {
        if (!spec.tables?.[key]) throw new Error(`${spec.id} scans ${key} but its row gives it no access to that table`);
        iam.Grant.addToPrincipal({ grantee: fn, actions: ['dynamodb:Scan'], resourceArns: [`${props.tables[key].tableArn}/index/${indexName}`] });
      }
      if (spec.sendsAlerts) props.alerts.grantSend(fn);
      if (spec.writesAnchors) {
        props.anchors.grantWrite(fn);
        fn.addEnvironment(ANCHORS_BUCKET.envVar, props.anchors.bucket.bucketName);
      }
      if (spec.putsBusEvents) {
        props.bus.grantPutEventsTo(fn);
        fn.addEnvironment(EVENT_BUS_NAME_ENV, props.bus.eventBusName);
      }
      return { spec, fn };
    });
  }

  byId(id: string): lambda.Function {
    const found = this.all.find((f) => f.spec.id === id);
    if (!found) throw new Error(`No function ${id} in infra/functions.ts`);
    return found.fn;
  }

  /**
   * After the state machine exists (it needs the task functions' ARNs first): the starter may start executions,
   * the token holders may answer task tokens, on this state machine only.
   *
   * A task function (AwaitTurn answers its own token when the turn already moved on) cannot reference the state
   * machine: its policy → state machine → its ARN → its policy would be a CloudFormation cycle. It gets the
   * same rights on the ARN built from the state machine's fixed name instead (same value, no reference).
   */
  grantTurnWorkflow(workflow: TurnWorkflow): void {
    for (const { spec, fn } of this.all) {
      if (!spec.turnWorkflow) continue;
      const isTask = spec.trigger.kind === 'turnWorkflowTask';
      if (isTask && spec.turnWorkflow === 'startExecution') {
        throw new Error(`${spec.id} is a task of the turn workflow and cannot start executions of it`);
      }
      if (isTask) {
        iam.Grant.addToPrincipal({ grantee: fn, actions: TASK_RESPONSE_ACTIONS, resourceArns: [workflow.arnFromName] }).assertSuccess();
        continue;
      }
      const { stateMachine } = workflow;
      if (spec.turnWorkflow === 'sendTaskResult') {
        iam.Grant.addToPrincipal({ grantee: fn, actions: TASK_RESPONSE_ACTIONS, resourceArns: [stateMachine.stateMachineArn] }).assertSuccess();
        continue;
      }
      stateMachine.grantStartExecution(fn).assertSuccess();
      // The reconciler asks how each open turn's execution stands (DescribeExecution is on execution ARNs).
      if (spec.turnWorkflow === 'reconcile') stateMachine.grantExecution(fn, 'states:DescribeExecution').assertSuccess();
      fn.addEnvironment(TURN_STATE_MACHINE_ARN_ENV, stateMachine.stateMachineArn);
    }
  }
}
