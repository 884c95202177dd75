import { Match } from 'aws-cdk-lib/assertions';
import { FIRST_COMMITS_INDEX, OPEN_TURNS_INDEX, TABLES, createTableInput, type TableKey, type TableLayout } from '../../src/eventstore/tables';
import { tableConstructId } from '../../infra/constructs/tables';
import { logicalIdOf, resourcesOf, synthEngine } from './support';

const { template } = synthEngine();
const tableResource = (key: TableKey) => {
  const id = logicalIdOf(template, 'AWS::DynamoDB::Table', `Tables${tableConstructId(key)}`);
  return resourcesOf(template, 'AWS::DynamoDB::Table')[id]!;
};

describe('DynamoDB tables', () => {
  it('names every table in the TableNames output as the CLI reads them from the environment (ENV_VAR=<table>)', () => {
    const { Value } = template.toJSON().Outputs.TableNames;
    const parts: unknown[] = Value['Fn::Join'][1];
    const text = parts.map((p) => (typeof p === 'string' ? p : `<${(p as { Ref: string }).Ref}>`)).join('');
    const expected = (Object.keys(TABLES) as TableKey[]).map(
      (key) => `${TABLES[key].envVar}=<${logicalIdOf(template, 'AWS::DynamoDB::Table', `Tables${tableConstructId(key)}`)}>`,
    );
    expect(text).toBe(expected.join(' '));
  });

  it('creates exactly one table per layout in src/eventstore/tables.ts', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', Object.keys(TABLES).length);
  });

  it.each(Object.keys(TABLES) as TableKey[])('%s: keys and attribute types come from the shared layout, on-demand', (key) => {
    const layout: TableLayout = TABLES[key];
    const keys = layout.sortKey ? [layout.partitionKey, layout.sortKey] : [layout.partitionKey];
    const { Properties } = tableResource(key);
    expect(Properties.KeySchema).toEqual(keys.map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? 'HASH' : 'RANGE' })));
    const indexKeys = (layout.indexes ?? []).flatMap((i) => (i.sortKey ? [i.partitionKey, i.sortKey] : [i.partitionKey]));
    const attributes = new Map([...keys, ...indexKeys].map((k) => [k.name, k.type]));
    expect(Properties.AttributeDefinitions).toEqual(expect.arrayContaining([...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }))));
    expect(Properties.AttributeDefinitions).toHaveLength(attributes.size);
    expect(Properties.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it.each(Object.keys(TABLES) as TableKey[])('%s: the indexes the code queries, keys only, exactly as the local tables have them', (key) => {
    const layout: TableLayout = TABLES[key];
    const local = createTableInput(layout).GlobalSecondaryIndexes ?? [];
    expect(tableResource(key).Properties.GlobalSecondaryIndexes ?? []).toEqual(local.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection })));
  });

  it('lists streams and open turns by index: the first-commits index on the log, open-turns on the queue view', () => {
    expect(tableResource('events').Properties.GlobalSecondaryIndexes.map((i: { IndexName: string }) => i.IndexName)).toEqual([FIRST_COMMITS_INDEX.indexName]);
    expect(tableResource('queueView').Properties.GlobalSecondaryIndexes.map((i: { IndexName: string }) => i.IndexName)).toEqual([OPEN_TURNS_INDEX.indexName]);
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
    // Contacts are personal data: a tear-down erases them (infra/README.md).
    expect(tableResource('contacts').DeletionPolicy).toBe('Delete');
    template.allResources('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
  });

  it('retains and protects the songbooks by default: a KJ\'s imported catalogue exists nowhere else', () => {
    const songbook = tableResource('songbook');
    expect(songbook.DeletionPolicy).toBe('Retain');
    expect(songbook.UpdateReplacePolicy).toBe('Retain');
    expect(songbook.Properties.DeletionProtectionEnabled).toBe(true);
    expect(songbook.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
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
