import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { queueView } from '../../src/aggregates/rotation';
import type { StoredCommit } from '../../src/eventstore/commit';
import { createProjectionStreamHandler } from '../../src/projections';
import { documentClient } from '../../src/eventstore/dynamo';
import { ProjectionConflictError } from '../../src/projections/errors';
import { createQueueViewProjection, readQueueViewState } from '../../src/projections/queueViewProjection';
import { createSingerHistoryProjection } from '../../src/projections/singerHistoryProjection';
import { streamRecordOf } from '../../src/local/streamFeed';
import { ENGINE_METRIC_NAMESPACE, poisonMetricLine, PROJECTION_POISON_METRIC, type PoisonRecord } from '../../src/projections/poisonRecords';
import { withEmbeddedDynamo } from '../support/dynamo';
import { completedPerformances, fixtureOn, foldCommits, playScriptedNight, snapshotReadModels } from './support';

const dynamo = withEmbeddedDynamo();
const batch = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
const failuresOf = (response: { batchItemFailures: { itemIdentifier: string }[] }) => response.batchItemFailures.map((f) => f.itemIdentifier);
const seqNo = (record: DynamoDBRecord) => record.dynamodb!.SequenceNumber!;

/** Records as DynamoDB Streams would deliver the commits (NEW_IMAGE), with increasing sequence numbers. */
const recordsOf = (commits: readonly StoredCommit[]) => commits.map(streamRecordOf);

const quiet = () => {};

describe('projection stream handler', () => {
  const nights: Record<string, StoredCommit[]> = {};
  const night = async (rotationId: string) => (nights[rotationId] ??= await playScriptedNight(fixtureOn(dynamo).service, rotationId));

  const clearAll = async () => {
    for (const p of fixtureOn(dynamo).models.projections) await p.clear();
  };

  it('a batch delivered twice, or with records repeated, leaves the read models as one delivery does', async () => {
    const { models, store } = fixtureOn(dynamo);
    const handler = createProjectionStreamHandler({ projections: models.projections, store, log: quiet });
    const a = await night('twice-a');
    const b = await night('twice-b');
    // Two streams interleaved, as one shard's batch can hold them.
    const records = recordsOf([...a, ...b].sort((x, y) => x.version - y.version));

    await clearAll();
    expect(failuresOf(await handler(batch(records)))).toEqual([]);
    const once = await snapshotReadModels(dynamo);
    expect(once.queueView).toHaveLength(2);
    // One item per singer per night, listing their performances.
    expect(once.singerHistory.flatMap((json) => JSON.parse(JSON.parse(json).entries))).toHaveLength(completedPerformances([...a, ...b]).length);
    // Two nights at one venue, each with two completed turns of the same book song.
    expect(once.popular.map((json) => JSON.parse(json).sung)).toEqual([4]);

    expect(failuresOf(await handler(batch(records)))).toEqual([]);
    expect(await snapshotReadModels(dynamo)).toEqual(once);

    // Lambda re-delivers from a failure point: a batch that repeats a record, and one that overlaps the last.
    await clearAll();
    const repeated = [...records.slice(0, 9), records[4]!, ...records.slice(9), records[2]!];
    expect(failuresOf(await handler(batch(repeated)))).toEqual([]);
    expect(failuresOf(await handler(batch(records.slice(records.length - 7))))).toEqual([]);
    expect(await snapshotReadModels(dynamo)).toEqual(once);

    // One record per batch, in order, as the local feed delivers them.
    await clearAll();
    for (const record of records) expect(failuresOf(await handler(batch([record])))).toEqual([]);
    expect(await snapshotReadModels(dynamo)).toEqual(once);
  });

  it('the stored queue state is a fresh fold of the stream at the same version', async () => {
    const { models, store } = fixtureOn(dynamo);
    const commits = await night('fresh-fold');
    const handler = createProjectionStreamHandler({ projections: models.projections, store, log: quiet });
    expect(failuresOf(await handler(batch(recordsOf(commits))))).toEqual([]);

    const stored = await readQueueViewState(documentClient(dynamo.client), 'fresh-fold', dynamo.tableNames.queueView);
    expect(stored).toEqual({ state: foldCommits(commits), version: commits.length, lastSeq: commits.at(-1)!.events.at(-1)!.seq });
    const now = '2026-11-21T21:00:00.000Z';
    expect(await models.queue.read('fresh-fold', now)).toEqual({ ...queueView(foldCommits(commits), { version: commits.length, now }), headHash: commits.at(-1)!.hash });
    expect(await models.queue.read('never-opened', now)).toBeNull();
  });

  it('a gap (v arrives while the read model is at v-3) heals from the event table', async () => {
    const { models, store } = fixtureOn(dynamo);
    const commits = await night('gap');
    const records = recordsOf(commits);
    const handler = createProjectionStreamHandler({ projections: models.projections, store, log: quiet });

    expect(failuresOf(await handler(batch(records.slice(0, 5))))).toEqual([]);
    // Versions 6–8 hold the first performance; only 9 is delivered.
    expect(failuresOf(await handler(batch([records[8]!])))).toEqual([]);
    const stored = await readQueueViewState(documentClient(dynamo.client), 'gap', dynamo.tableNames.queueView);
    expect(stored?.version).toBe(9);
    expect(stored?.state).toEqual(foldCommits(commits.slice(0, 9)));
    const amy = (await models.history.performances('amy')).filter((p) => p.rotationId === 'gap');
    expect(amy).toEqual([expect.objectContaining({ rotationId: 'gap', venue: 'The Blue Room', song: { title: 'amy one', artist: 'amy one artist' } })]);
  });

  it('reports a failed record and every later record of its stream, applies nothing after it, and other streams still apply', async () => {
    const { models, store } = fixtureOn(dynamo);
    const handler = createProjectionStreamHandler({ projections: models.projections, store, log: quiet });
    const a = recordsOf((await night('fail-a')).slice(0, 4));
    const b = recordsOf((await night('fail-b')).slice(0, 3));
    // A's second commit arrives damaged (no events): it cannot be applied, and A's later records must wait
    // even though the event table could fill the gap — applying them would run A's read model out of order.
    const damaged = structuredClone(a[1]!);
    delete damaged.dynamodb!.NewImage!.commit;
    const interleaved = [a[0]!, b[0]!, damaged, b[1]!, a[2]!, a[3]!, b[2]!];

    const response = await handler(batch(interleaved));
    expect(failuresOf(response)).toEqual([seqNo(damaged), seqNo(a[2]!), seqNo(a[3]!)]);
    const doc = documentClient(dynamo.client);
    expect((await readQueueViewState(doc, 'fail-a', dynamo.tableNames.queueView))?.version).toBe(1);
    expect((await readQueueViewState(doc, 'fail-b', dynamo.tableNames.queueView))?.version).toBe(3);

    // Lambda retries from the lowest reported record, now intact: A catches up, B's repeat is skipped.
    const retry = [a[1]!, b[1]!, a[2]!, a[3]!, b[2]!];
    expect(failuresOf(await handler(batch(retry)))).toEqual([]);
    expect((await readQueueViewState(doc, 'fail-a', dynamo.tableNames.queueView))?.version).toBe(4);
    expect((await readQueueViewState(doc, 'fail-b', dynamo.tableNames.queueView))?.version).toBe(3);
  });

  it('a read model that cannot be written fails its stream’s records; the other read model still applies', async () => {
    const { store } = fixtureOn(dynamo);
    const doc = documentClient(dynamo.client);
    const commits = await night('one-broken');
    const logged: string[] = [];
    const handler = createProjectionStreamHandler({
      projections: [
        createQueueViewProjection(doc, 'no-such-table'),
        createSingerHistoryProjection(doc, { history: dynamo.tableNames.singerHistory, checkpoints: dynamo.tableNames.projectionCheckpoints }),
      ],
      store,
      log: (f) => logged.push(`${f.projection} ${f.code}`),
    });
    const records = recordsOf(commits);
    expect(failuresOf(await handler(batch(records)))).toEqual(records.map(seqNo));
    expect(logged).toEqual(['queue-view ResourceNotFoundException']);
    const sung = completedPerformances(commits).filter((p) => p.data.singerId === 'cy');
    const cy = (await fixtureOn(dynamo).models.history.performances('cy')).filter((p) => p.rotationId === 'one-broken');
    expect(cy).toEqual(
      sung.map(({ data }) => expect.objectContaining({ rotationId: 'one-broken', startedAt: data.startedAt, completedAt: data.completedAt })),
    );
  });

  it('a record that does not say its stream holds back itself and everything after it', async () => {
    const { models, store } = fixtureOn(dynamo);
    const handler = createProjectionStreamHandler({ projections: models.projections, store, log: quiet });
    const records = recordsOf((await night('blind')).slice(0, 3));
    const blind: DynamoDBRecord = { eventName: 'INSERT', dynamodb: { SequenceNumber: '999', StreamViewType: 'NEW_IMAGE' } };
    const response = await handler(batch([records[0]!, blind, records[1]!, records[2]!]));
    expect(failuresOf(response)).toEqual(['999', seqNo(records[1]!), seqNo(records[2]!)]);
    expect((await readQueueViewState(documentClient(dynamo.client), 'blind', dynamo.tableNames.queueView))?.version).toBe(1);
  });

  it('passes over streams that are not rotations and items removed from the table', async () => {
    const { models, store } = fixtureOn(dynamo);
    const handler = createProjectionStreamHandler({ projections: models.projections, store, log: quiet });
    const [first] = await night('removed');
    const other = { ...first!, streamId: 'counter#1' };
    const removed: DynamoDBRecord = { ...streamRecordOf(first!), eventName: 'REMOVE' };
    delete removed.dynamodb!.NewImage;
    expect(failuresOf(await handler(batch([streamRecordOf(other), removed])))).toEqual([]);
    expect(await readQueueViewState(documentClient(dynamo.client), 'removed', dynamo.tableNames.queueView)).toBeNull();
  });

  it('an event type it does not know fails the record instead of building a wrong read model', async () => {
    const { models, store } = fixtureOn(dynamo);
    const logged: string[] = [];
    const handler = createProjectionStreamHandler({ projections: models.projections, store, log: (f) => logged.push(`${f.projection} ${f.code}`) });
    const commits = await night('from-the-future');
    expect(failuresOf(await handler(batch(recordsOf(commits.slice(0, 2)))))).toEqual([]);
    const future = { ...commits[2]!, events: [{ seq: 3, type: 'SingerTeleported', schemaVersion: 1, data: {} }] };
    const record = streamRecordOf(future);
    expect(failuresOf(await handler(batch([record])))).toEqual([seqNo(record)]);
    expect(logged.sort()).toEqual(['popular-songs unknown-event-type', 'queue-view unknown-event-type', 'singer-history unknown-event-type']);
    expect((await readQueueViewState(documentClient(dynamo.client), 'from-the-future', dynamo.tableNames.queueView))?.version).toBe(2);
  });

  it('a commit a read model can never apply is a poison record: counted as its metric and passed over, never holding back the shard', async () => {
    const { models, store } = fixtureOn(dynamo);
    const poisoned: PoisonRecord[] = [];
    const logged: string[] = [];
    const handler = createProjectionStreamHandler({ projections: models.projections, store, log: (f) => logged.push(`${f.code}`), poison: (r) => poisoned.push(r) });
    const good = await night('poison-neighbour');
    const bad = await night('poison-bad');
    // A join without its data: applying it throws a TypeError, the same way on every try (the history ignores joins;
    // the popular songs read a join's bookSongId).
    const broken = { ...bad[1]!, events: [{ ...bad[1]!.events[0]!, data: null }] } as unknown as StoredCommit;
    const records = recordsOf([bad[0]!, broken, ...good]);
    expect(failuresOf(await handler(batch(records)))).toEqual([]);
    expect(logged).toEqual([]);
    expect(poisoned.map((p) => `${p.projection} ${p.streamId} ${p.code}`).sort()).toEqual(['popular-songs rotation#poison-bad TypeError', 'queue-view rotation#poison-bad TypeError']);
    expect((await readQueueViewState(documentClient(dynamo.client), 'poison-neighbour', dynamo.tableNames.queueView))?.version).toBe(good.length);
    // Its EMF line is one count of the alarmed metric.
    const line = JSON.parse(poisonMetricLine(poisoned[0]!, 0));
    expect(line._aws.CloudWatchMetrics).toEqual([{ Namespace: ENGINE_METRIC_NAMESPACE, Dimensions: [[]], Metrics: [{ Name: PROJECTION_POISON_METRIC, Unit: 'Count' }] }]);
    expect(line[PROJECTION_POISON_METRIC]).toBe(1);
  });

  it('a write from a stale checkpoint is refused, so two concurrent deliveries cannot both apply', async () => {
    const doc = documentClient(dynamo.client);
    const commits = await night('stale');
    const streamId = commits[0]!.streamId;
    for (const projection of fixtureOn(dynamo).models.projections) {
      await projection.clear();
      const from = await projection.load(streamId);
      await projection.apply(from, commits.slice(0, 2));
      await expect(projection.apply(from, commits.slice(0, 3))).rejects.toBeInstanceOf(ProjectionConflictError);
      const moved = await projection.load(streamId);
      expect(moved).toMatchObject({ version: 2, lastSeq: commits[1]!.events.at(-1)!.seq });
    }

    // And through the handler: the same batch twice at once applies once, neither reports a failure.
    const { models, store } = fixtureOn(dynamo);
    for (const p of models.projections) await p.clear();
    const handler = createProjectionStreamHandler({ projections: models.projections, store, log: quiet });
    const records = recordsOf(commits);
    const responses = await Promise.all([handler(batch(records)), handler(batch(records)), handler(batch(records.slice(3)))]);
    expect(responses.map(failuresOf)).toEqual([[], [], []]);
    expect((await readQueueViewState(doc, 'stale', dynamo.tableNames.queueView))?.state).toEqual(foldCommits(commits));
    const history = await models.history.performances('amy');
    expect(history).toHaveLength(completedPerformances(commits).filter((p) => p.data.singerId === 'amy').length);
  });
});
