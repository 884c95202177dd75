import { PAGE_CONFIG_ENV } from '../../src/api/pageConfig';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { createEngineFunction } from '../../infra/constructs/engineFunction';
import { REPO_ROOT } from '../../infra/bundling';
import { FUNCTIONS } from '../../infra/functions';
import { TABLES, type TableKey } from '../../src/eventstore/tables';
import { RULE_TARGET_ENTRIES, STREAM_PUBLISHER_ENTRY, TASK_FUNCTION_ENTRIES } from '../../src/workflows/lambda';
import { TURN_SUBSTITUTIONS } from '../../src/workflows/names';
import { TURN_WORKFLOW_RULES } from '../../src/workflows/rules';
import { logicalIdOf, resourcesOf, synthEngine } from './support';

const { template } = synthEngine();

describe('the function table (infra/functions.ts)', () => {
  it.each(FUNCTIONS.map((f) => [f.id, f.entry, f.handler] as const))('%s: %s exists and exports %s', (_id, entry, handler) => {
    const file = path.join(REPO_ROOT, entry);
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toMatch(new RegExp(`export (const|async function|function) ${handler}\\b`));
  });

  it.each(FUNCTIONS.map((f) => f.id))('%s: Node 22 on arm64, Powertools settings, and the env naming exactly its tables', (id) => {
    const spec = FUNCTIONS.find((f) => f.id === id)!;
    const fn = resourcesOf(template, 'AWS::Lambda::Function')[logicalIdOf(template, 'AWS::Lambda::Function', `Functions${id}`)]!;
    expect(fn.Properties.Runtime).toBe('nodejs22.x');
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    const env = fn.Properties.Environment.Variables as Record<string, unknown>;
    expect(env.POWERTOOLS_SERVICE_NAME).toMatch(/^rotation-[a-z-]+$/);
    expect(env.POWERTOOLS_LOG_LEVEL).toBe('DEBUG'); // dev stage (prod: INFO, infra/config.ts stageSettings)
    const tableEnv = (Object.keys(TABLES) as TableKey[]).filter((key) => TABLES[key].envVar in env);
    expect(tableEnv.sort()).toEqual(Object.keys(spec.tables ?? {}).sort());
  });

  it('binds each workflow task and rule to the entry src/workflows/lambda/index.ts names for it', () => {
    for (const key of Object.values(TURN_SUBSTITUTIONS)) {
      const rows = FUNCTIONS.filter((f) => f.trigger.kind === 'turnWorkflowTask' && f.trigger.substitutionKey === key);
      expect(rows.map(({ entry, handler }) => ({ entry, handler }))).toEqual([TASK_FUNCTION_ENTRIES[key]]);
    }
    for (const rule of TURN_WORKFLOW_RULES) {
      const rows = FUNCTIONS.filter((f) => f.trigger.kind === 'busRules' && f.trigger.rules.some((r) => r.pattern === rule.pattern && r.description === rule.description));
      expect(rows.map(({ entry, handler }) => ({ entry, handler }))).toEqual([RULE_TARGET_ENTRIES[rule.target]]);
    }
    expect(FUNCTIONS.filter((f) => f.entry === STREAM_PUBLISHER_ENTRY.entry && f.handler === STREAM_PUBLISHER_ENTRY.handler).map((f) => f.trigger.kind)).toEqual(['eventsStream']);
  });

  it('gives the API what src/api/awsDeps.ts reads: its tables', () => {
    const api = resourcesOf(template, 'AWS::Lambda::Function')[logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionsApi')]!;
    const env = api.Properties.Environment.Variables;
    for (const name of ['EVENTS_TABLE_NAME', 'IDEMPOTENCY_TABLE_NAME', 'CONTACTS_TABLE_NAME', 'QUEUE_VIEW_TABLE_NAME', 'SINGER_HISTORY_TABLE_NAME', 'JOIN_CODES_TABLE_NAME']) {
      expect(env[name]).toBeDefined();
    }
  });

  it('gives the API what GET /config and GET /j/{code} need: the pages’ origin and the Cognito sign-in', () => {
    const api = resourcesOf(template, 'AWS::Lambda::Function')[logicalIdOf(template, 'AWS::Lambda::Function', 'FunctionsApi')]!;
    const env = api.Properties.Environment.Variables as Record<string, unknown>;
    const pool = logicalIdOf(template, 'AWS::Cognito::UserPool', 'HttpApiUserPool');
    const client = logicalIdOf(template, 'AWS::Cognito::UserPoolClient', 'HttpApiUserPoolWebClient');
    const distribution = logicalIdOf(template, 'AWS::CloudFront::Distribution', 'PagesDistribution');
    expect(JSON.stringify(env[PAGE_CONFIG_ENV.publicUrl])).toContain(distribution);
    expect(env[PAGE_CONFIG_ENV.userPoolId]).toEqual({ Ref: pool });
    expect(env[PAGE_CONFIG_ENV.clientId]).toEqual({ Ref: client });
    expect(env[PAGE_CONFIG_ENV.region]).toEqual({ Ref: 'AWS::Region' });
    expect(JSON.stringify(env[PAGE_CONFIG_ENV.domain])).toContain('amazoncognito.com');
  });

  it('refuses to bundle an entry that does not exist, naming the row to fix', () => {
    const stack = new Stack(new App(), 'Missing');
    const spec = { id: 'Ghost', entry: 'src/nowhere/lambda.ts', handler: 'handler', description: 'x', trigger: { kind: 'httpApi' } } as const;
    expect(() => createEngineFunction(stack, { spec, code: 'bundled', stage: 'dev', logLevel: 'INFO' })).toThrow(/src\/nowhere\/lambda\.ts does not exist/);
  });
});
