/**
 * The synthesized template is the truth about what a Lambda may do and what it is told: each function's code runs
 * with exactly the environment its template sets (tables named unlike the code's defaults, so a table whose name
 * the function is not given is not found), and every DynamoDB call it makes, recorded on the wire in front of
 * dynalite (which checks no IAM), must be allowed by that function's policy on that table or index. Either gap
 * works in every local test and fails only in AWS (ResourceNotFound, AccessDenied).
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { RotationCommand } from '../../src/aggregates/rotation';
import { createMemoryEventStore } from '../../src/eventstore/memoryEventStore';
import { createRotationService } from '../../src/eventstore/rotationService';
import { streamIdFor, tableNames, TABLES, type TableKey } from '../../src/eventstore/tables';
import { streamRecordOf } from '../../src/local/streamFeed';
import { createDynamoContactStore } from '../../src/notifiers/contacts';
import { nextTurnIdAfter } from '../../src/workflows/ids';
import { TURN_STATE_MACHINE_ARN_ENV } from '../../src/workflows/names';
import { MAX_INLINE_STATE_BYTES } from '../../src/projections/queueViewProjection';
import { ANCHORS_BUCKET } from '../../src/eventstore/anchors';
import { LIVE_EVENTS_URL_ENV } from '../../src/projections/liveViewPublisher';
import { tableConstructId } from '../../infra/constructs/tables';
import { withEmbeddedDynamo } from '../support/dynamo';
import { startRecordingDynamo, type DynamoCall, type RecordingDynamo } from '../support/recordingDynamo';
import { fixtureOn } from '../projections/support';
import { actionsOn, logicalIdOf, referencedId, resourcesOf, statementsOfFunction, synthEngine } from './support';

// Not the code's default names: a function that reads a table its template does not name would miss it here too.
const dynamo = withEmbeddedDynamo({ tableNames: tableNames({ prefix: 'deployed-' }) });
const { template } = synthEngine();
const savedEnv = { ...process.env };
let recorder: RecordingDynamo;
let aws: http.Server;
let awsUrl: string;
/** IAM actions of the Step Functions and SNS calls that reached the stand-in, e.g. `states:StartExecution`. */
const otherCalls: string[] = [];

/**
 * Step Functions (JSON protocol) and SNS (query protocol) on one loopback port, answering as the services do: every
 * execution asked about has ended (so the reconciler ends its turn), every text is taken.
 */
const startOtherServices = async () => {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => {
      if (body.includes('Action=Publish')) {
        otherCalls.push('sns:Publish');
        res.writeHead(200, { 'content-type': 'text/xml' }).end('<PublishResponse><PublishResult><MessageId>m</MessageId></PublishResult></PublishResponse>');
        return;
      }
      const action = String(req.headers['x-amz-target'] ?? '').split('.').pop();
      otherCalls.push(`states:${action}`);
      const answer =
        action === 'StartExecution'
          ? { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:karaoke-turn-test:x', startDate: 1_764_700_000 }
          : action === 'DescribeExecution'
            ? { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:karaoke-turn-test:x', stateMachineArn: STATE_MACHINE, status: 'SUCCEEDED', startDate: 1_764_700_000 }
            : {};
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};
const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:karaoke-turn-test';

beforeAll(async () => {
  recorder = await startRecordingDynamo(dynamo.endpoint);
  aws = await startOtherServices();
  awsUrl = `http://127.0.0.1:${(aws.address() as AddressInfo).port}`;
});

afterAll(async () => {
  process.env = savedEnv;
  await recorder?.close();
  await new Promise((resolve) => aws?.close(resolve));
});

/**
 * A function's environment as its template sets it: a table reference becomes that table's name here, the state
 * machine this loopback one; the live-events URL and the anchor bucket are left out (no stand-in in this test).
 */
const environmentOf = (functionId: string): Record<string, string> => {
  const fn = resourcesOf(template, 'AWS::Lambda::Function')[logicalIdOf(template, 'AWS::Lambda::Function', `Functions${functionId}`)]!;
  const tableOfId = new Map((Object.keys(TABLES) as TableKey[]).map((key) => [logicalIdOf(template, 'AWS::DynamoDB::Table', `Tables${tableConstructId(key)}`), key]));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries((fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>)) {
    if (name === LIVE_EVENTS_URL_ENV || name === ANCHORS_BUCKET.envVar) continue;
    const table = tableOfId.get(referencedId(value) ?? '');
    env[name] = typeof value === 'string' ? value : table ? dynamo.tableNames[table] : name === TURN_STATE_MACHINE_ARN_ENV ? STATE_MACHINE : `from-template-${name}`;
  }
  return env;
};

/** Runs `body` with process.env as the function's Lambda would have it (AWS endpoints on loopback). */
const asDeployed = async <T>(functionId: string, body: () => Promise<T>): Promise<T> => {
  process.env = {
    PATH: savedEnv.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: recorder.endpoint,
    AWS_ENDPOINT_URL_SFN: awsUrl,
    AWS_ENDPOINT_URL_SNS: awsUrl,
    ...environmentOf(functionId),
    // Only the log level differs from the template: the API's request lines would fill the test output.
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  try {
    return await body();
  } finally {
    process.env = { ...savedEnv };
  }
};

/** A Lambda entry module loaded fresh, as a new container loads it (it reads the environment then). */
const loadEntry = <T>(entry: string): T => {
  let loaded: T | undefined;
  jest.isolateModules(() => {
    loaded = require(entry) as T;
  });
  return loaded!;
};

/** The recorded calls a function's policy does not allow, as `Action table[/index]`. */
const deniedFor = (functionId: string, calls: readonly DynamoCall[]): string[] => {
  const statements = statementsOfFunction(template, logicalIdOf(template, 'AWS::Lambda::Function', `Functions${functionId}`));
  const keyOf = (table: string) => (Object.keys(TABLES) as TableKey[]).find((key) => dynamo.tableNames[key] === table);
  const denied = new Set<string>();
  for (const call of calls) {
    const key = keyOf(call.table);
    const where = key ? `${key}${call.index ? `/index/${call.index}` : ''}` : call.table;
    const resource = key && `${logicalIdOf(template, 'AWS::DynamoDB::Table', `Tables${tableConstructId(key)}`)}${call.index ? `/index/${call.index}` : ''}`;
    if (!resource || !actionsOn(statements, resource).includes(`dynamodb:${call.action}`)) denied.add(`${call.action} ${where}`);
  }
  return [...denied].sort();
};

const text = (length: number) => randomBytes(length).toString('base64').slice(0, length);

/**
 * A big night in an in-memory log: 500 singers, 3 pending songs each with long, varied titles, so the queue
 * view's compressed state no longer fits its own item and is written in parts (queueViewProjection.ts).
 */
const bigNightOnTheStream = async (rotationId: string): Promise<DynamoDBStreamEvent> => {
  const store = createMemoryEventStore();
  const service = createRotationService({ store });
  let n = 0;
  const at = '2026-12-02T20:00:00.000Z';
  const run = async (command: RotationCommand) => {
    const outcome = await service.execute(rotationId, command, `cmd-${++n}`);
    if (outcome.kind !== 'accepted') throw new Error(`${command.type} rejected: ${JSON.stringify(outcome.rejection)}`);
  };
  await run({ type: 'OpenRotation', rotationId, venue: 'The Big Room', settings: { maxSingers: 500 }, actor: { id: 'kj', role: 'kj' }, at });
  for (let i = 0; i < 500; i++) {
    const singerId = `singer-${i}`;
    const actor = { id: singerId, role: 'singer' } as const;
    const song = () => ({ title: text(200), artist: text(200) });
    await run({ type: 'JoinRotation', singerId, displayName: text(40), songId: `${singerId}-1`, song: song(), actor, at });
    for (const k of [2, 3]) await run({ type: 'QueueSong', singerId, songId: `${singerId}-${k}`, song: song(), actor, at });
  }
  const commits = await store.readStream(streamIdFor(rotationId));
  // As Lambda delivers it: JSON, images marshalled, nothing shared with this process.
  return JSON.parse(JSON.stringify({ Records: commits.map(streamRecordOf) })) as DynamoDBStreamEvent;
};

describe('every DynamoDB call a Lambda makes is allowed by its synthesized policy', () => {
  it('Projector, on a night whose queue view is stored in parts', async () => {
    const event = await bigNightOnTheStream('3f1c2a9e-0000-4000-8000-00000000b160');
    recorder.calls.length = 0;
    await asDeployed('Projector', async () => {
      const { handler } = loadEntry<typeof import('../../src/projections/lambda')>('../../src/projections/lambda');
      expect(await handler(event)).toEqual({ batchItemFailures: [] });
    });

    // The night really is one whose state goes to part items (else this test would not cover them).
    const partsWritten = recorder.calls.filter((c) => c.action === 'BatchWriteItem' && c.table === dynamo.tableNames.queueView);
    expect(partsWritten.length).toBeGreaterThan(0);
    expect(MAX_INLINE_STATE_BYTES).toBeLessThan(400 * 1024);
    expect(deniedFor('Projector', recorder.calls)).toEqual([]);
  });

  it('Api, across its routes: sign-in roles, a songbook import and edits, a night from open to close, reads, idempotent retries', async () => {
    await asDeployed('Api', async () => {
    const { handler } = loadEntry<typeof import('../../src/api/lambda')>('../../src/api/lambda');
    type Answer = { statusCode: number; body: string };
    const call = async (method: string, rawPath: string, who: Record<string, unknown> | null, body?: unknown, headers: Record<string, string> = {}) => {
      const [pathPart, query = ''] = rawPath.split('?');
      const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const answer = (await handler(
        {
          version: '2.0',
          routeKey: `${method} ${pathPart}`,
          rawPath: pathPart!,
          rawQueryString: query,
          headers: { host: 'api.example.com', ...(text !== undefined ? { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' } : {}), ...headers },
          requestContext: {
            requestId: `req-${Math.random()}`,
            http: { method, path: pathPart!, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
            ...(who ? { authorizer: { jwt: { claims: who, scopes: [] } } } : {}),
          },
          ...(text !== undefined ? { body: text } : {}),
          isBase64Encoded: false,
        } as never,
        { getRemainingTimeInMillis: () => 29_000, functionName: 'api', awsRequestId: 'x' } as never,
      )) as Answer;
      if (answer.statusCode >= 500) throw new Error(`${method} ${rawPath}: ${answer.statusCode} ${answer.body}`);
      return { status: answer.statusCode, json: answer.body ? JSON.parse(answer.body) : undefined };
    };
    const kj = { sub: 'kj-calls', name: 'Ann', 'cognito:groups': '[kj]' };
    const amy = { sub: 'amy-calls', name: 'Amy', 'cognito:groups': '[singer]' };
    recorder.calls.length = 0;

    expect((await call('PUT', '/songbook', kj, 'title,artist\nJolene,Dolly Parton\nHurt,Johnny Cash\n')).status).toBe(200);
    const { json: added } = await call('POST', '/songbook/songs', kj, { title: 'Valerie', artist: 'Amy Winehouse' });
    expect((await call('PUT', `/songbook/songs/${added.bookSongId}`, kj, { title: 'Valerie', artist: 'The Zutons' })).status).toBe(200);
    expect((await call('DELETE', `/songbook/songs/${added.bookSongId}`, kj)).status).toBe(200);
    expect((await call('GET', '/songbook?q=jol', kj)).status).toBe(200);

    const { json: opened } = await call('POST', '/rotations', kj, { venue: 'Calls Bar', settings: { autoAdvance: false } });
    const rotation = `/rotations/${opened.rotationId}`;
    expect((await call('GET', `/join/${opened.joinCode}`, null)).status).toBeLessThan(500);
    const { json: found } = await call('GET', `${rotation}/songbook?q=jolene`, amy);
    const join = { displayName: 'Amy', song: { bookSongId: found.songs[0].bookSongId } };
    expect((await call('POST', `${rotation}/singers`, amy, join, { 'idempotency-key': 'amy-join' })).status).toBe(201);
    expect((await call('POST', `${rotation}/singers`, amy, join, { 'idempotency-key': 'amy-join' })).status).toBe(201);
    expect((await call('POST', `${rotation}/singers/amy-calls/songs`, amy, { title: 'Valerie', artist: 'Amy Winehouse' })).status).toBe(201);
    expect((await call('POST', `${rotation}/singers`, kj, { displayName: 'Bo', song: { title: 'Hurt', artist: 'Johnny Cash' }, placement: 'next' })).status).toBe(201);
    expect((await call('PUT', '/singers/amy-calls/contact', amy, { phone: '+15551230001', channels: ['sms'] })).status).toBe(200);
    const { json: turn } = await call('POST', `${rotation}/turns`, kj);
    expect((await call('POST', `${rotation}/turns/${turn.turnId}/start`, kj)).status).toBe(200);
    expect((await call('POST', `${rotation}/turns/${turn.turnId}/complete`, kj)).status).toBe(200);
    for (const path of [`${rotation}/queue`, `${rotation}/songbook/popular`, '/singers/amy-calls/history']) await call('GET', path, amy);
    for (const path of [`${rotation}/events`, `${rotation}/state?seq=3`]) expect((await call('GET', path, kj)).status).toBe(200);
    expect((await call('POST', `${rotation}/close`, kj)).status).toBe(200);

    });
    expect(new Set(recorder.calls.map((c) => c.table)).size).toBeGreaterThanOrEqual(6);
    expect(deniedFor('Api', recorder.calls)).toEqual([]);
  });

  it('each turn workflow function, through a turn: start, alerts, waits, release, overdue completion, next call, no-show, idle advance, reconcile', async () => {
    type Handlers = typeof import('../../src/workflows/lambda/handlers');
    // Each function is its own Lambda: a fresh module (no state held from another function's calls).
    const fresh = () => loadEntry<Handlers>('../../src/workflows/lambda/handlers');
    const { service, models } = fixtureOn(dynamo);
    await createDynamoContactStore({ client: dynamo.client, tableName: dynamo.tableNames.contacts }).put({
      singerId: 'amy',
      phone: '+15551230001',
      channels: ['sms'],
      updatedAt: '2026-12-02T19:00:00.000Z',
    });
    const rotationId = '3f1c2a9e-0000-4000-8000-00000000c0a1';
    const kj = { id: 'kj', role: 'kj' } as const;
    const at = '2026-12-02T20:00:00.000Z';
    const run = async (command: RotationCommand, id: string) => {
      const outcome = await service.execute(rotationId, command, id);
      if (outcome.kind !== 'accepted') throw new Error(`${command.type} rejected`);
      return outcome;
    };
    await run({ type: 'OpenRotation', rotationId, venue: 'Calls Bar', actor: kj, at }, 'open');
    for (const id of ['amy', 'bo']) {
      await run({ type: 'JoinRotation', singerId: id, displayName: id, songId: `${id}-1`, song: { title: `${id} song`, artist: 'x' }, actor: { id, role: 'singer' }, at }, `join-${id}`);
    }
    const called = await run({ type: 'CallNext', turnId: 'turn-1', actor: kj, at }, 'call-1');
    const turn = { rotationId, turnId: 'turn-1' };
    const denied: Record<string, string[]> = {};
    const seen = new Set<string>();
    const asFunction = async (id: string, invoke: (h: Handlers) => Promise<unknown>) => {
      recorder.calls.length = 0;
      otherCalls.length = 0;
      await asDeployed(id, () => invoke(fresh()));
      expect(recorder.calls.length).toBeGreaterThan(0);
      // Step Functions and SNS calls: the action at least (their resources are pinned by iam.test.ts).
      const granted = statementsOfFunction(template, logicalIdOf(template, 'AWS::Lambda::Function', `Functions${id}`)).flatMap((st) => st.actions);
      otherCalls.forEach((action) => seen.add(action));
      const notAllowed = [...deniedFor(id, recorder.calls), ...otherCalls.filter((action) => !granted.includes(action))];
      if (notAllowed.length > 0) denied[id] = notAllowed;
    };

    const calledDetail = { rotationId, version: called.version, data: { turnId: 'turn-1', singerId: 'amy' } };
    await asFunction('StartTurnWorkflow', (h) => h.startTurnWorkflow({ detail: calledDetail } as never));
    await asFunction('AlertSingers', (h) => h.alertSingers({ ...turn, calledVersion: called.version }));
    await asFunction('AwaitTurn', (h) => h.awaitTurn({ ...turn, taskToken: 'token-stage', waitingFor: 'stage', noShowTimeoutSeconds: 120 }));
    await run({ type: 'StartTurn', turnId: 'turn-1', actor: kj, at }, 'start-1');
    await asFunction('ReleaseTurnWait', (h) => h.releaseTurnWait({ detail: { rotationId, type: 'TurnStarted', data: { turnId: 'turn-1' } } } as never));
    // The KJ was quicker than the wait: AwaitTurn answers its own token.
    await asFunction('AwaitTurn', (h) => h.awaitTurn({ ...turn, taskToken: 'token-end', waitingFor: 'stage', noShowTimeoutSeconds: 120 }));
    await asFunction('CompleteOverdueTurn', (h) => h.completeOverdueTurn(turn));
    await asFunction('CallNextSinger', (h) => h.callNextSinger(turn));
    await asFunction('ForfeitNoShow', (h) => h.forfeitNoShow({ rotationId, turnId: nextTurnIdAfter('turn-1') }));
    await asFunction('AdvanceIdleRotation', (h) => h.advanceIdleRotation({ detail: { rotationId, seq: 1, type: 'SingerJoined', data: {} } } as never));

    // The reconciler finds open turns through the queue view's index: the read models must have the night.
    await run({ type: 'QueueSong', singerId: 'amy', songId: 'amy-2', song: { title: 'amy two', artist: 'x' }, actor: { id: 'amy', role: 'singer' }, at }, 'amy-2');
    // The idle advance may have called someone already; otherwise the KJ calls.
    const open = (await service.read(rotationId))!.state.currentTurn ?? (await run({ type: 'CallNext', turnId: 'turn-3', actor: kj, at }, 'call-3')).state.currentTurn!;
    const commits = await fixtureOn(dynamo).store.readStream(streamIdFor(rotationId));
    await asDeployed('Projector', () =>
      loadEntry<typeof import('../../src/projections/lambda')>('../../src/projections/lambda').handler(
        JSON.parse(JSON.stringify({ Records: commits.map(streamRecordOf) })) as DynamoDBStreamEvent,
      ),
    );
    expect(await models.openTurns.rotationsWithOpenTurn()).toContain(rotationId);
    const report = jest.spyOn(console, 'log').mockImplementation(() => {});
    await asFunction('ReconcileOpenTurns', (h) => h.reconcileOpenTurns());
    report.mockRestore();
    expect(await fixtureOn(dynamo).store.readStream(streamIdFor(rotationId))).toContainEqual(
      expect.objectContaining({ events: expect.arrayContaining([expect.objectContaining({ type: 'TurnForfeited', data: expect.objectContaining({ turnId: open.turnId }) })]) }),
    );

    expect([...seen].sort()).toEqual(['sns:Publish', 'states:DescribeExecution', 'states:SendTaskSuccess', 'states:StartExecution']);
    expect(denied).toEqual({});
  });
});
