/**
 * The projector's live side in AWS: after a batch is applied, each moved rotation's queue view is published to its
 * AppSync Events channel, signed with SigV4 — against a loopback stand-in of the HTTP publish endpoint that
 * checks the signature as the service does.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { QueueView } from '../../src/aggregates/rotation';
import { streamRecordOf } from '../../src/local/streamFeed';
import { createProjectionStreamHandler } from '../../src/projections';
import { LivePublishError } from '../../src/projections/errors';
import { isLiveViewTooLarge, LIVE_EVENT_MAX_BYTES, LIVE_HEAD_UPCOMING, LIVE_NAMESPACE, liveChannelOf } from '../../src/projections/liveChannels';
import { createAppSyncEventsPublisher, credentialsFromEnv } from '../../src/projections/liveViewPublisher';
import { LIVE_PUBLISH_FAILED_EVENT, withLiveViews } from '../../src/projections/liveViews';
import { startAppSyncEvents, type AppSyncEventsStandIn } from '../support/appSyncEvents';
import { withEmbeddedDynamo } from '../support/dynamo';
import { fixtureOn, KJ, minute, playScriptedNight, singer } from './support';
import type { RotationCommand } from '../../src/aggregates/rotation';

const CREDENTIALS = { accessKeyId: 'AKIDPROJECTOR', secretAccessKey: 'projector-secret', sessionToken: 'session-token' };
const dynamo = withEmbeddedDynamo();
let events: AppSyncEventsStandIn;

beforeAll(async () => {
  events = await startAppSyncEvents({ ...CREDENTIALS, region: 'eu-west-1' });
});
afterAll(() => events.close());
beforeEach(() => {
  events.published.length = 0;
  events.answer = 'ok';
});

const publisher = (credentials = CREDENTIALS) => createAppSyncEventsPublisher({ url: events.url, region: 'eu-west-1', credentials: async () => credentials });
const ROTATION_A = '3f1c2a9e-0000-4000-8000-00000000000a';
const ROTATION_B = '3f1c2a9e-0000-4000-8000-00000000000b';

describe('live views after the projector applied a batch', () => {
  it('publishes each moved rotation once, its current view, to /rotations/<id>, after the read models are written', async () => {
    const { models, store, service } = fixtureOn(dynamo);
    const a = await playScriptedNight(service, ROTATION_A);
    const b = await playScriptedNight(service, ROTATION_B);
    const logged: Record<string, unknown>[] = [];
    const handler = withLiveViews(createProjectionStreamHandler({ projections: models.projections, store, log: () => {} }), {
      queue: models.queue,
      publisher: publisher(),
      now: () => minute(30),
      log: (line) => logged.push(line),
    });
    const batch: DynamoDBStreamEvent = { Records: [...a, ...b].sort((x, y) => x.version - y.version).map(streamRecordOf) };

    expect((await handler(batch)).batchItemFailures).toEqual([]);
    const viewA = (await models.queue.read(ROTATION_A, minute(30))) as QueueView;
    const viewB = (await models.queue.read(ROTATION_B, minute(30))) as QueueView;
    expect(events.published.map(({ channel, events: published }) => ({ channel, published }))).toEqual([
      { channel: `/${LIVE_NAMESPACE}/${ROTATION_A}`, published: [JSON.parse(JSON.stringify(viewA))] },
      { channel: `/${LIVE_NAMESPACE}/${ROTATION_B}`, published: [JSON.parse(JSON.stringify(viewB))] },
    ]);
    expect(events.published[0]!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDPROJECTOR\/\d{8}\/eu-west-1\/appsync\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/);
    expect(logged).toEqual([]);
  });

  it('a view too large for one AppSync event (500 singers, long names) goes out as a marker the pages re-read on', async () => {
    const { models, store, service } = fixtureOn(dynamo);
    const rotationId = '3f1c2a9e-0000-4000-8000-0000000000c1';
    const run = async (command: RotationCommand, n: number) => {
      const outcome = await service.execute(rotationId, command, `${rotationId}-cmd-${n}`);
      if (outcome.kind !== 'accepted') throw new Error(`command ${n} was rejected: ${JSON.stringify(outcome)}`);
    };
    await run({ type: 'OpenRotation', rotationId, venue: 'The Big Room', settings: { autoAdvance: false, maxSingers: 500 }, actor: KJ, at: minute(0) }, 0);
    const long = (text: string, length: number) => text.padEnd(length, '~');
    for (let i = 1; i <= 500; i++) {
      const id = `s${i}`;
      const song = { title: long(`${id} title`, 200), artist: long(`${id} artist`, 200) };
      await run({ type: 'JoinRotation', singerId: id, displayName: long(id, 60), songId: `${id}-1`, song, actor: singer(id), at: minute(1) }, i);
    }
    const commits = (await service.read(rotationId))!.commits;
    const logged: Record<string, unknown>[] = [];
    const handler = withLiveViews(createProjectionStreamHandler({ projections: models.projections, store, log: () => {} }), {
      queue: models.queue,
      publisher: publisher(),
      now: () => minute(2),
      log: (line) => logged.push(line),
    });
    // The first commits go out whole; a later batch, once the view has grown past the quota, as a marker.
    expect((await handler({ Records: commits.slice(0, 10).map(streamRecordOf) })).batchItemFailures).toEqual([]);
    expect((await handler({ Records: commits.slice(10).map(streamRecordOf) })).batchItemFailures).toEqual([]);

    const view = (await models.queue.read(rotationId, minute(2)))!;
    expect(Buffer.byteLength(JSON.stringify(view))).toBeGreaterThan(LIVE_EVENT_MAX_BYTES);
    const [first, last] = events.published.map((p) => p.events[0]);
    expect(first).toMatchObject({ rotationId, version: 10, singers: expect.any(Array) });
    expect(isLiveViewTooLarge(first)).toBe(false);
    // Its head is all a venue screen shows: the view with the first upcoming singers only and no singer list.
    expect(last).toEqual({
      kind: 'view-too-large',
      rotationId,
      version: view.version,
      head: JSON.parse(JSON.stringify({ ...view, upcoming: view.upcoming.slice(0, LIVE_HEAD_UPCOMING), singers: [] })),
    });
    expect(isLiveViewTooLarge(last)).toBe(true);
    expect(events.refusedTooLarge).toBe(0);
    expect(logged).toEqual([]);
  });

  it('a refused publish is logged and never fails the batch: the read model is already right', async () => {
    const { models, store, service } = fixtureOn(dynamo);
    const commits = await playScriptedNight(service, '3f1c2a9e-0000-4000-8000-00000000000c');
    const logged: Record<string, unknown>[] = [];
    const handler = withLiveViews(createProjectionStreamHandler({ projections: models.projections, store, log: () => {} }), {
      queue: models.queue,
      publisher: publisher(),
      log: (line) => logged.push(line),
    });
    events.answer = { status: 500 };
    expect((await handler({ Records: commits.map(streamRecordOf) })).batchItemFailures).toEqual([]);
    expect(await models.queue.read('3f1c2a9e-0000-4000-8000-00000000000c', minute(30))).not.toBeNull();
    expect(logged).toEqual([
      { event: LIVE_PUBLISH_FAILED_EVENT, rotationId: '3f1c2a9e-0000-4000-8000-00000000000c', code: 'live-publish-failed', message: expect.stringContaining('HTTP 500') },
    ]);
  });

  it('an endpoint that takes the request and never answers costs the batch one bounded wait, not the whole Lambda timeout', async () => {
    // Accepts every connection and request, answers none: an AppSync brownout. Without a bound the batch would
    // wait on fetch's own timeouts (minutes), time the projector out, and retry the shard's batch over and over.
    const silent = http.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { models, store, service } = fixtureOn(dynamo);
      const rotations = ['3f1c2a9e-0000-4000-8000-00000000000d', '3f1c2a9e-0000-4000-8000-00000000000e'];
      const commits = [...(await playScriptedNight(service, rotations[0]!)), ...(await playScriptedNight(service, rotations[1]!))];
      const logged: Record<string, unknown>[] = [];
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/event`;
      const handler = withLiveViews(createProjectionStreamHandler({ projections: models.projections, store, log: () => {} }), {
        queue: models.queue,
        publisher: createAppSyncEventsPublisher({ url, region: 'eu-west-1', credentials: async () => CREDENTIALS, timeoutMs: 50 }),
        log: (line) => logged.push(line),
      });
      expect((await handler({ Records: commits.map(streamRecordOf) })).batchItemFailures).toEqual([]);
      expect(logged).toEqual(
        rotations.map((rotationId) => ({ event: LIVE_PUBLISH_FAILED_EVENT, rotationId, code: 'live-publish-failed', message: expect.stringMatching(/no answer within 50 ms/) })),
      );
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('stops publishing once the batch has spent its publish budget: the rest are logged as not published, the batch succeeds', async () => {
    let clock = 0;
    const tried: string[] = [];
    const logged: Record<string, unknown>[] = [];
    const handler = withLiveViews(async () => ({ batchItemFailures: [] }), {
      queue: { read: async (rotationId) => ({ rotationId }) as unknown as QueueView },
      // Each publish takes 4 s of the batch's 10 s.
      publisher: { publish: async (rotationId) => (tried.push(rotationId), (clock += 4000), 'published') },
      budgetMs: 10_000,
      nowMs: () => clock,
      log: (line) => logged.push(line),
    });
    const { service } = fixtureOn(dynamo);
    const ids = ['3f1c2a9e-0000-4000-8000-0000000000f1', '3f1c2a9e-0000-4000-8000-0000000000f2', '3f1c2a9e-0000-4000-8000-0000000000f3', '3f1c2a9e-0000-4000-8000-0000000000f4'];
    const records = [];
    for (const id of ids) records.push(streamRecordOf((await playScriptedNight(service, id))[0]!));
    expect((await handler({ Records: records })).batchItemFailures).toEqual([]);
    expect(tried).toEqual(ids.slice(0, 3));
    expect(logged).toEqual([{ event: LIVE_PUBLISH_FAILED_EVENT, rotationId: ids[3], code: 'live-publish-skipped', message: expect.stringContaining('budget') }]);
  });

  it('publishes nothing for a stream whose records all failed, or a batch with no rotation commit', async () => {
    const published: string[] = [];
    const handler = withLiveViews(async () => ({ batchItemFailures: [{ itemIdentifier: '1' }] }), {
      queue: { read: async (rotationId) => ({ rotationId }) as unknown as QueueView },
      publisher: { publish: async (rotationId) => (published.push(rotationId), 'published') },
    });
    const { service } = fixtureOn(dynamo);
    const [first] = await playScriptedNight(service, 'r-failed');
    const record = { ...streamRecordOf(first!), dynamodb: { ...streamRecordOf(first!).dynamodb, SequenceNumber: '1' } };
    await handler({ Records: [record] });
    await handler({ Records: [] });
    expect(published).toEqual([]);
  });
});

describe('AppSync Events publisher', () => {
  const view = { rotationId: ROTATION_A, venue: 'The Blue Room' } as unknown as QueueView;

  it('signs as the role: a wrong secret is refused by the endpoint', async () => {
    await expect(publisher({ ...CREDENTIALS, secretAccessKey: 'wrong' }).publish(ROTATION_A, view)).rejects.toThrow(LivePublishError);
    await expect(publisher({ ...CREDENTIALS, secretAccessKey: 'wrong' }).publish(ROTATION_A, view)).rejects.toThrow(/HTTP 401/);
    expect(await publisher().publish(ROTATION_A, view)).toBe('published');
    expect(events.published).toEqual([{ channel: `/rotations/${ROTATION_A}`, events: [view], authorization: expect.any(String) }]);
  });

  it('an event the service reports as failed (in a 200 answer) is an error, with its reason', async () => {
    events.answer = 'event-failed';
    await expect(publisher().publish(ROTATION_A, view)).rejects.toMatchObject({ code: 'live-publish-failed', message: expect.stringContaining('Event too large') });
  });

  it('a rotation id no channel segment can carry is not published (and not an error)', async () => {
    expect(liveChannelOf('a.b@c')).toBeUndefined();
    expect(liveChannelOf('x'.repeat(51))).toBeUndefined();
    expect(liveChannelOf(ROTATION_A)).toBe(`/rotations/${ROTATION_A}`);
    expect(await publisher().publish('a.b@c', view)).toBe('no-channel');
    expect(events.published).toEqual([]);
  });

  it('an unreachable endpoint is a typed error', async () => {
    const down = createAppSyncEventsPublisher({ url: 'http://127.0.0.1:9/event', region: 'eu-west-1', credentials: async () => CREDENTIALS });
    await expect(down.publish(ROTATION_A, view)).rejects.toMatchObject({ name: 'LivePublishError', code: 'live-publish-failed' });
  });

  it('takes the role credentials Lambda puts in the environment, refusing to sign without them', async () => {
    expect(await credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_SESSION_TOKEN: 'c' })()).toEqual({ accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 'c' });
    expect(await credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' })()).toEqual({ accessKeyId: 'a', secretAccessKey: 'b' });
    await expect(credentialsFromEnv({})()).rejects.toThrow(LivePublishError);
  });
});
