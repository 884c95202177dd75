/**
 * The turn workflow on the bundles that deploy: each task handler is built with esbuild exactly as the CDK app
 * builds it (infra/bundling.ts, minified), loaded with Node's own require, and run by the workflow's ASL on the
 * local interpreter against dynalite through a loopback proxy. The proxy makes the events table unavailable for
 * ForfeitNoShow's first try: the bundled handler must throw an error whose name the ASL's Retry names
 * (`EventStoreUnavailableError`), so the turn retries and ends as a forfeit. Built without `keepNames`, the
 * class is renamed by minification, no Retry matches, and the execution fails — which this test then catches.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { esbuildOptionsFor, LAMBDA_BUNDLING } from '../../infra/bundling';
import { createLocalStepFunctions, type LocalStepFunctions } from '../../src/local/localStepFunctions';
import { TABLES, type TableKey } from '../../src/eventstore/tables';
import { ALERTS_EMAIL_FROM_ENV } from '../../src/notifiers/sesEmail';
import { turnWorkflowDefinition } from '../../src/workflows/definition';
import { TASK_FUNCTION_ENTRIES, type LambdaEntry } from '../../src/workflows/lambda';
import { TURN_STATES, TURN_SUBSTITUTIONS, type TurnSubstitutionKey } from '../../src/workflows/names';
import { withEmbeddedDynamo } from '../support/dynamo';
import { eventually, rotationOn } from './support';

jest.setTimeout(120_000);

const dynamo = withEmbeddedDynamo();
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundled-handlers-'));
const savedEnv = { ...process.env };

/** Which state runs which task function (the substitution key in its FunctionName). */
const taskKeyOf = (stateName: string): TurnSubstitutionKey => {
  const state = (turnWorkflowDefinition.States as Record<string, { Parameters?: { FunctionName?: string } }>)[stateName]!;
  const key = Object.values(TURN_SUBSTITUTIONS).find((k) => state.Parameters?.FunctionName === `\${${k}}`);
  if (!key) throw new Error(`No task function for state ${stateName}`);
  return key;
};

/** A loopback proxy in front of dynalite that can answer PutItem on one table with a 500 while `failing`. */
const startFlakyProxy = async (target: string, table: () => string) => {
  const state = { failing: false, refused: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const isPut = String(req.headers['x-amz-target']).endsWith('.PutItem');
      if (state.failing && isPut && JSON.parse(body.toString()).TableName === table()) {
        state.refused += 1;
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'injected by the test' }));
        return;
      }
      const upstream = http.request(target, { method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { state, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(r)) };
};

let proxy: Awaited<ReturnType<typeof startFlakyProxy>>;
let sfn: LocalStepFunctions | undefined;
const bundled = new Map<TurnSubstitutionKey, (payload: unknown) => Promise<unknown>>();

beforeAll(async () => {
  proxy = await startFlakyProxy(dynamo.endpoint, () => dynamo.tableNames.events);
  // What the CDK app sets on the functions, pointed at loopback; the bundled SDK reads these when first used.
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: proxy.url,
    AWS_ENDPOINT_URL_SNS: 'http://127.0.0.1:9',
    AWS_ENDPOINT_URL_SESV2: 'http://127.0.0.1:9',
    [ALERTS_EMAIL_FROM_ENV]: 'alerts@karaoke.example.com',
    ...Object.fromEntries((Object.keys(TABLES) as TableKey[]).map((key) => [TABLES[key].envVar, dynamo.tableNames[key]])),
  });
  for (const [key, { entry, handler }] of Object.entries(TASK_FUNCTION_ENTRIES) as [TurnSubstitutionKey, LambdaEntry][]) {
    const outfile = path.join(outDir, key, 'index.js');
    await build(esbuildOptionsFor(entry, outfile));
    // Node's require, not jest's: the bundle runs as Lambda runs it, untransformed.
    bundled.set(key, createRequire(outfile)(outfile)[handler]);
  }
});

afterAll(async () => {
  await sfn?.stop();
  await proxy?.close();
  process.env = savedEnv;
  fs.rmSync(outDir, { recursive: true, force: true });
});

it('builds with keepNames, the setting that keeps error class names through minification', () => {
  expect(LAMBDA_BUNDLING.minify).toBe(true);
  expect(LAMBDA_BUNDLING.keepNames).toBe(true);
  expect(esbuildOptionsFor(TASK_FUNCTION_ENTRIES[TURN_SUBSTITUTIONS.awaitTurn].entry, 'x.js')).toMatchObject({ minify: true, keepNames: true });
});

it('a store outage during the no-show forfeit is retried by the ASL and the turn ends forfeited', async () => {
  const night = await rotationOn(dynamo.client, dynamo.tableNames.events, ['ana', 'ben']);
  const called = await night.callNext('turn-1');

  const thrown: string[] = [];
  const tasks = Object.fromEntries(
    Object.entries(turnWorkflowDefinition.States)
      .filter(([, state]) => state.Type === 'Task')
      .map(([stateName]) => {
        const handler = bundled.get(taskKeyOf(stateName))!;
        return [
          stateName,
          async (input: { Payload: unknown }) => {
            try {
              return { Payload: await handler(input.Payload) };
            } catch (err) {
              thrown.push(`${stateName}:${(err as Error).name}`);
              if (stateName === TURN_STATES.forfeitNoShow) proxy.state.failing = false;
              throw err;
            }
          },
        ];
      }),
  );
  // 1 s of workflow time = 20 ms here; the no-show wait is the rotation's noShowTimeoutSeconds.
  sfn = createLocalStepFunctions({ definition: turnWorkflowDefinition, tasks, secondsToMs: (s) => s * 20, log: () => {} });
  proxy.state.failing = true;
  sfn.startExecution('turn-1', {
    Payload: { rotationId: night.rotationId, turnId: 'turn-1', singerId: called.singerId, calledVersion: called.calledVersion, noShowTimeoutSeconds: 5, completionTimeoutSeconds: 600, autoAdvance: false },
  });

  const execution = await eventually(async () => {
    const [done] = sfn!.executions().filter((e) => e.status !== 'running');
    if (!done) throw new Error('still running');
    return done;
  }, { timeoutMs: 60_000 });

  expect(proxy.state.refused).toBeGreaterThan(0);
  expect(thrown).toEqual([`${TURN_STATES.forfeitNoShow}:EventStoreUnavailableError`]);
  expect(execution).toMatchObject({ status: 'succeeded' });
  expect(await night.eventsOf('TurnForfeited')).toEqual([expect.objectContaining({ type: 'TurnForfeited' })]);
});
