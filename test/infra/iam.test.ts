import { OPEN_TURNS_INDEX, TABLES, type TableKey, type TableLayout } from '../../src/eventstore/tables';
import { FUNCTIONS } from '../../infra/functions';
import { tableConstructId } from '../../infra/constructs/tables';
import { TABLE_ACTIONS } from '../../infra/constructs/engineFunctions';
import { actionsOn, logicalIdOf, resourcesOf, statementsOfFunction, statementsOfRole, referencedId, synthEngine, type FlatStatement } from './support';

const { template } = synthEngine();
const tableKeys = Object.keys(TABLES) as TableKey[];
const tableId = (key: TableKey) => logicalIdOf(template, 'AWS::DynamoDB::Table', `Tables${tableConstructId(key)}`);
const functionId = (id: string) => logicalIdOf(template, 'AWS::Lambda::Function', `Functions${id}`);
const statementsOf = (id: string) => statementsOfFunction(template, functionId(id));

const dynamoActionsOn = (statements: FlatStatement[], key: TableKey) =>
  [...actionsOn(statements, tableId(key)), ...(TABLES[key] as TableLayout).indexes?.flatMap((i) => actionsOn(statements, `${tableId(key)}/index/${i.indexName}`)) ?? []]
    .filter((a) => a.startsWith('dynamodb:'));
const ITEM_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const writesIn = (actions: string[]) => actions.filter((a) => ITEM_WRITES.includes(a));

const allPolicyStatements = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap((p) =>
  [p.Properties.PolicyDocument.Statement].flat(),
) as any[];

describe('IAM least privilege', () => {
  it('never grants DynamoDB data or table access on a wildcard resource, anywhere in the stack', () => {
    for (const s of allPolicyStatements) {
      const actions = [s.Action].flat() as string[];
      if (!actions.some((a) => a.startsWith('dynamodb:'))) continue;
      const resources = [s.Resource].flat();
      // The one exception: ListStreams has no resource-level permissions (stream consumers need it; it lists
      // stream ARNs, no data).
      if (resources.includes('*')) expect(actions).toEqual(['dynamodb:ListStreams']);
      for (const r of resources) if (typeof r === 'string' && r !== '*') expect(r).not.toMatch(/\*/);
    }
  });

  it.each(FUNCTIONS.map((f) => f.id))('%s touches exactly the tables its row declares, with exactly the calls the code makes', (id) => {
    const spec = FUNCTIONS.find((f) => f.id === id)!;
    const statements = statementsOf(id);
    for (const key of tableKeys) {
      const actions = dynamoActionsOn(statements, key).sort();
      const access = spec.tables?.[key];
      const expected = access ? [...TABLE_ACTIONS[access], ...(spec.scansIndex?.[key] ? ['dynamodb:Scan'] : [])].sort() : [];
      expect({ table: key, actions }).toEqual({ table: key, actions: expected });
    }
  });

  it('only the reconciler may Scan (the open-turns index, not a table); none batch-reads or runs transactions; only the projector (history, a big queue view\'s parts) and the songbook import batch-write', () => {
    const all = FUNCTIONS.flatMap((f) => statementsOf(f.id).flatMap((s) => s.actions.map((action) => ({ id: f.id, action, resources: s.resources }))));
    expect(all.filter(({ action }) => /^dynamodb:(BatchGetItem|Transact|ConditionCheckItem|DescribeTable)/.test(action))).toEqual([]);
    expect(all.filter(({ action }) => action === 'dynamodb:Scan').map(({ id, resources }) => ({ id, resources }))).toEqual([
      { id: 'ReconcileOpenTurns', resources: [`${tableId('queueView')}/index/${OPEN_TURNS_INDEX.indexName}`] },
    ]);
    expect(all.filter(({ action }) => action === 'dynamodb:BatchWriteItem').flatMap(({ id, resources }) => resources.map((resource) => ({ id, resource })))).toEqual([
      { id: 'Api', resource: tableId('songbook') },
      { id: 'Projector', resource: tableId('queueView') },
      { id: 'Projector', resource: tableId('singerHistory') },
    ]);
    expect(TABLE_ACTIONS).toEqual({
      read: ['dynamodb:GetItem', 'dynamodb:Query'],
      append: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
      readWrite: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      readWriteBatch: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
    });
  });

  it('API: appends to the log but never rewrites it; reads read models, cannot write them; no tokens, alerts or checkpoints', () => {
    const api = statementsOf('Api');
    expect(writesIn(dynamoActionsOn(api, 'events'))).toEqual(['dynamodb:PutItem']);
    for (const key of ['queueView', 'singerHistory'] as const) {
      expect(dynamoActionsOn(api, key)).toContain('dynamodb:Query');
      expect(writesIn(dynamoActionsOn(api, key))).toEqual([]);
    }
    for (const key of ['taskTokens', 'alerts', 'projectionCheckpoints'] as const) expect(dynamoActionsOn(api, key)).toEqual([]);
  });

  it('projector: writes read models, checkpoints and the songbook\'s popular counters, only reads the log, cannot touch idempotency, contacts or alerts', () => {
    const projector = statementsOf('Projector');
    for (const key of ['queueView', 'singerHistory', 'projectionCheckpoints'] as const) expect(writesIn(dynamoActionsOn(projector, key))).not.toEqual([]);
    // The counters are conditional ADDs (UpdateItem); the projector never batch-writes or scans the songbook.
    expect(writesIn(dynamoActionsOn(projector, 'songbook'))).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']);
    expect(writesIn(dynamoActionsOn(projector, 'events'))).toEqual([]);
    for (const key of ['idempotency', 'contacts', 'alerts', 'taskTokens'] as const) expect(dynamoActionsOn(projector, key)).toEqual([]);
  });

  it('stream consumers read the events stream; the publisher reads nothing else and puts only on the engine bus', () => {
    for (const id of ['Projector', 'StreamPublisher']) {
      expect(actionsOn(statementsOf(id), `${tableId('events')}.StreamArn`)).toEqual(
        expect.arrayContaining(['dynamodb:GetRecords', 'dynamodb:GetShardIterator']),
      );
    }
    const publisher = statementsOf('StreamPublisher');
    const bus = logicalIdOf(template, 'AWS::Events::EventBus', 'EventBus');
    expect(publisher.filter((s) => s.actions.includes('events:PutEvents')).flatMap((s) => s.resources)).toEqual([bus]);
    for (const key of tableKeys) expect(dynamoActionsOn(publisher, key)).toEqual([]);
  });

  it('only the alert task may send SMS, and only to phone numbers (no SNS ARN) in this region', () => {
    const smsHolders = FUNCTIONS.filter((f) =>
      statementsOf(f.id).some((s) => s.actions.includes('sns:Publish') && s.notResources.length > 0),
    ).map((f) => f.id);
    expect(smsHolders).toEqual(['AlertSingers']);
    const sms = statementsOf('AlertSingers').find((s) => s.notResources.length > 0)!;
    expect(sms.resources).toEqual([]);
    expect(sms.notResources).toEqual(['arn:AWS::Partition:sns:*:*:*']);
    expect(sms.condition).toEqual({ StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } });
    for (const s of allPolicyStatements) {
      if ([s.Action].flat().some((a: string) => a.startsWith('sns:'))) expect([s.Resource].flat()).not.toContain('*');
    }
  });

  it('nobody subscribes to or manages SNS topics: email goes through SES, SMS straight to phone numbers', () => {
    for (const s of allPolicyStatements) {
      expect([s.Action].flat().filter((a: string) => a.startsWith('sns:') && a !== 'sns:Publish')).toEqual([]);
    }
  });

  it('only the starter may start turn executions; only the token holders may answer task tokens, of this state machine', () => {
    const stateMachine = logicalIdOf(template, 'AWS::StepFunctions::StateMachine', 'TurnWorkflowStateMachine');
    // SendTaskSuccess only: the code never fails a task or heartbeats (src/workflows/adapters/sfnCallbacks.ts).
    const taskResponse = ['states:SendTaskSuccess'];
    // AwaitTurn is itself a task: its grant names the state machine's ARN by name (no reference, no cycle).
    const byName = 'arn:AWS::Partition:states:AWS::Region:AWS::AccountId:stateMachine:karaoke-turn-dev';
    for (const f of FUNCTIONS) {
      const statements = statementsOf(f.id);
      const actions = [...actionsOn(statements, stateMachine), ...actionsOn(statements, byName)].sort();
      if (f.id === 'StartTurnWorkflow') expect(actions).toEqual(['states:StartExecution']);
      else if (f.id === 'ReconcileOpenTurns') {
        expect(actions).toEqual(['states:StartExecution']);
        // DescribeExecution is granted on this state machine's executions: arn:…:execution:<name>:*
        const describe = statements.filter((s) => s.actions.includes('states:DescribeExecution'));
        expect(describe.flatMap((s) => s.actions)).toEqual(['states:DescribeExecution']);
        expect(describe.flatMap((s) => s.resources)).toEqual([
          `arn:AWS::Partition:states:AWS::Region:AWS::AccountId:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stateMachine}"}]}]}:*`,
        ]);
        continue;
      }
      else if (f.id === 'ReleaseTurnWait' || f.id === 'AwaitTurn') expect(actions).toEqual(taskResponse);
      else expect(actions).toEqual([]);
      const everyStatesGrant = statements.filter((s) => s.actions.some((a) => a.startsWith('states:')));
      expect(everyStatesGrant.flatMap((s) => s.actions).sort()).toEqual(actions);
    }
  });

  it('the name-built ARN is the state machine’s real ARN (arn:partition:states:region:account:stateMachine:name)', () => {
    const { stack, template: t } = synthEngine();
    const [resource] = Object.values(resourcesOf(t, 'AWS::StepFunctions::StateMachine'));
    const parts = stack.resolve(stack.workflow.arnFromName)['Fn::Join'][1] as unknown[];
    const text = parts.map((p) => (typeof p === 'string' ? p : `\${${(p as { Ref: string }).Ref}}`)).join('');
    expect(text).toBe(`arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:${resource!.Properties.StateMachineName}`);
  });

  it('the state machine may invoke exactly its task functions', () => {
    const [stateMachine] = Object.values(resourcesOf(template, 'AWS::StepFunctions::StateMachine'));
    const statements = statementsOfRole(template, referencedId(stateMachine!.Properties.RoleArn)!);
    const invoked = new Set(
      statements.filter((s) => s.actions.includes('lambda:InvokeFunction')).flatMap((s) => s.resources.map((r) => r.replace(/:\*$/, ''))),
    );
    const tasks = FUNCTIONS.filter((f) => f.trigger.kind === 'turnWorkflowTask').map((f) => functionId(f.id));
    expect([...invoked].sort()).toEqual(tasks.sort());
  });
});
