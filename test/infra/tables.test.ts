import { Match } from 'aws-cdk-lib/assertions';
import { TABLES, type TableKey, type TableLayout } from '../../src/eventstore/tables';
import { tableConstructId } from '../../infra/constructs/tables';
import { logicalIdOf, resourcesOf, synthEngine } from './support';

const { template } = synthEngine();
const tableResource = (key: TableKey) => {
  const id = logicalIdOf(template, 'AWS::DynamoDB::Table', `Tables${tableConstructId(key)}`);
  return resourcesOf(template, 'AWS::DynamoDB::Table')[id]!;
};

describe('DynamoDB tables', () => {
  it('creates exactly one table per layout in src/eventstore/tables.ts', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', Object.keys(TABLES).length);
  });

  it.each(Object.keys(TABLES) as TableKey[])('%s: keys and attribute types come from the shared layout, on-demand', (key) => {
    const layout: TableLayout = TABLES[key];
    const keys = layout.sortKey ? [layout.partitionKey, layout.sortKey] : [layout.partitionKey];
    const { Properties } = tableResource(key);
    expect(Properties.KeySchema).toEqual(keys.map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? 'HASH' : 'RANGE' })));
    expect(Properties.AttributeDefinitions).toEqual(keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })));
    expect(Properties.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('streams every committed event (NEW_IMAGE) from the events table, and from no other table', () => {
    expect(tableResource('events').Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    for (const key of Object.keys(TABLES) as TableKey[]) {
      if (key !== 'events') expect(tableResource(key).Properties.StreamSpecification).toBeUndefined();
    }
  });

  it('keeps point-in-time recovery on the log and on contacts (neither can be rebuilt)', () => {
    for (const key of ['events', 'contacts'] as const) {
      expect(tableResource(key).Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    }
  });

  it('expires idempotency records on the attribute Powertools writes', () => {
    expect(tableResource('idempotency').Properties.TimeToLiveSpecification).toEqual({
      AttributeName: TABLES.idempotency.timeToLiveAttribute,
      Enabled: true,
    });
  });

  it.each(['alerts', 'taskTokens'] as const)('%s: DynamoDB TTL expires items on the attribute the code writes', (key) => {
    expect(TABLES[key].timeToLiveAttribute).toBe('expiresAt');
    expect(tableResource(key).Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it('retains and protects the events table by default, deletes rebuildable ones', () => {
    const events = tableResource('events');
    expect(events.DeletionPolicy).toBe('Retain');
    expect(events.UpdateReplacePolicy).toBe('Retain');
    expect(events.Properties.DeletionProtectionEnabled).toBe(true);
    expect(tableResource('queueView').DeletionPolicy).toBe('Delete');
    template.allResources('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
  });

  it('deletes everything, unprotected, when removalPolicy=destroy', () => {
    const destroy = synthEngine({ removalPolicy: 'destroy' }).template;
    destroy.allResources('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    destroy.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: Match.anyValue(),
      DeletionProtectionEnabled: false,
    });
    destroy.allResources('AWS::Cognito::UserPool', { DeletionPolicy: 'Delete' });
  });
});
