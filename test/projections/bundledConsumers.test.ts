/**
 * The two events-stream consumers as they deploy: the Projector and the StreamPublisher built with esbuild exactly
 * as the CDK app builds them (infra/bundling.ts, minified), loaded with Node's own require, and handed a DynamoDB
 * Streams event as Lambda delivers it (JSON, images marshalled) — against dynalite, the AppSync Events stand-in
 * (SigV4 checked) and a loopback EventBridge that records PutEvents.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { build } from 'esbuild';
import { esbuildOptionsFor } from '../../infra/bundling';
import { FUNCTIONS } from '../../infra/functions';
import { EVENT_BUS_NAME_ENV } from '../../src/eventbus/constants';
import { TABLES, type TableKey } from '../../src/eventstore/tables';
import { streamRecordOf } from '../../src/local/streamFeed';
import { LIVE_EVENTS_URL_ENV } from '../../src/projections/liveViewPublisher';
import { startAppSyncEvents, type AppSyncEventsStandIn } from '../support/appSyncEvents';
import { withEmbeddedDynamo } from '../support/dynamo';
import { fixtureOn, minute, playScriptedNight } from './support';

jest.setTimeout(120_000);

type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

const CREDENTIALS = { accessKeyId: 'AKIDBUNDLE', secretAccessKey: 'bundle-secret', sessionToken: 'bundle-session' };
const dynamo = withEmbeddedDynamo();
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundled-consumers-'));
const savedEnv = { ...process.env };
let live: AppSyncEventsStandIn;
let eventBridge: http.Server;
const putEvents: { target: string; entries: { Source: string; DetailType: string; Detail: string; EventBusName: string }[] }[] = [];
const handlers = new Map<string, StreamHandler>();

/** EventBridge's JSON protocol: PutEvents accepted whole. */
const startEventBridge = async () => {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => {
      const { Entries = [] } = JSON.parse(body || '{}') as { Entries?: (typeof putEvents)[number]['entries'] };
      putEvents.push({ target: String(req.headers['x-amz-target']), entries: Entries });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ FailedEntryCount: 0, Entries: Entries.map((_, i) => ({ EventId: `ev-${i}` })) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};

beforeAll(async () => {
  live = await startAppSyncEvents({ ...CREDENTIALS, region: 'us-east-1' });
  eventBridge = await startEventBridge();
  // What the CDK app and Lambda set on the functions, pointed at loopback.
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: `http://127.0.0.1:${(eventBridge.address() as AddressInfo).port}`,
    [EVENT_BUS_NAME_ENV]: 'karaoke-rotation-test',
    [LIVE_EVENTS_URL_ENV]: live.url,
    ...Object.fromEntries((Object.keys(TABLES) as TableKey[]).map((key) => [TABLES[key].envVar, dynamo.tableNames[key]])),
  });
  for (const id of ['Projector', 'StreamPublisher']) {
    const spec = FUNCTIONS.find((f) => f.id === id)!;
    const outfile = path.join(outDir, id, 'index.js');
    await build(esbuildOptionsFor(spec.entry, outfile));
    // Node's require, not jest's: the bundle runs as Lambda runs it, untransformed.
    handlers.set(id, createRequire(outfile)(outfile)[spec.handler]);
  }
});

afterAll(async () => {
  process.env = savedEnv;
  await live?.close();
  await new Promise((resolve) => eventBridge?.close(resolve));
  fs.rmSync(outDir, { recursive: true, force: true });
});

const ROTATION = '3f1c2a9e-0000-4000-8000-0000000000b1';

/** A night in the events table, and the stream event Lambda would deliver for it (plain JSON, nothing shared). */
const nightOnTheStream = async (rotationId: string) => {
  const { service, models } = fixtureOn(dynamo);
  const commits = await playScriptedNight(service, rotationId);
  const event = JSON.parse(JSON.stringify({ Records: commits.map(streamRecordOf) })) as DynamoDBStreamEvent;
  return { commits, event, models };
};

it('Projector: applies the batch to the read models and publishes the rotation\'s view, signed with the role\'s credentials', async () => {
  const { event, models } = await nightOnTheStream(ROTATION);
  expect(await handlers.get('Projector')!(event)).toEqual({ batchItemFailures: [] });

  const view = await models.queue.read(ROTATION, minute(30));
  expect(view).toMatchObject({ rotationId: ROTATION, venue: 'The Blue Room', version: event.Records.length });
  expect(live.published).toEqual([{ channel: `/rotations/${ROTATION}`, events: [expect.objectContaining({ rotationId: ROTATION, version: event.Records.length })], authorization: expect.any(String) }]);

  // A replayed batch (Lambda retries from the first reported record) applies nothing twice.
  expect(await handlers.get('Projector')!(event)).toEqual({ batchItemFailures: [] });
  expect(await models.queue.read(ROTATION, minute(30))).toEqual(view);
});

it('StreamPublisher: puts every event on the bus named by EVENT_BUS_NAME, in commit order', async () => {
  const rotationId = '3f1c2a9e-0000-4000-8000-0000000000b2';
  const { commits, event } = await nightOnTheStream(rotationId);
  putEvents.length = 0;
  expect(await handlers.get('StreamPublisher')!(event)).toEqual({ batchItemFailures: [] });

  expect(new Set(putEvents.map((p) => p.target))).toEqual(new Set(['AWSEvents.PutEvents']));
  const entries = putEvents.flatMap((p) => p.entries);
  expect(entries.every((e) => e.Source === 'karaoke.rotation' && e.EventBusName === 'karaoke-rotation-test')).toBe(true);
  expect(entries.map((e) => (JSON.parse(e.Detail) as { seq: number }).seq)).toEqual(commits.flatMap((c) => c.events.map((e) => e.seq)));
  expect(entries.map((e) => e.DetailType)).toEqual(commits.flatMap((c) => c.events.map((e) => e.type)));
});
