import { gunzipSync } from 'node:zlib';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { fold } from '../../src/aggregates/decider';
import { rotationDecider, type Actor, type RotationCommand, type RotationEvent, type RotationState } from '../../src/aggregates/rotation';
import { createRotationService, type RotationService } from '../../src/eventstore/rotationService';
import { canonicalJson, type StoredCommit } from '../../src/eventstore/commit';
import { createDynamoEventStore } from '../../src/eventstore/dynamoEventStore';
import { type EventStore } from '../../src/eventstore/store';
import { createRotationReadModels, type RotationReadModels } from '../../src/projections';
import { documentClient } from '../../src/eventstore/dynamo';
import type { EmbeddedDynamoHandle } from '../support/dynamo';

export const KJ: Actor = { id: 'kj-ann', role: 'kj' };
export const singer = (id: string): Actor => ({ id, role: 'singer' });
const T0 = Date.parse('2026-11-21T20:00:00.000Z');
export const minute = (m: number) => new Date(T0 + m * 60_000).toISOString();
export const tune = (title: string) => ({ title, artist: `${title} artist` });

export interface Fixture {
  readonly store: EventStore;
  readonly models: RotationReadModels;
  readonly service: RotationService;
}

/** The raw event table (no stream feed) and the read models, on the test file's dynalite. */
export const fixtureOn = (dynamo: EmbeddedDynamoHandle): Fixture => {
  const store = createDynamoEventStore({ client: dynamo.client, tableName: dynamo.tableNames.events });
  return { store, models: createRotationReadModels(dynamo.client, dynamo.tableNames), service: createRotationService({ store }) };
};

/**
 * A short night with something for every read model: joins (two from the book), a skip, three completed
 * performances, a no-show.
 * Returns the commits in version order.
 */
export const playScriptedNight = async (service: RotationService, rotationId: string): Promise<StoredCommit[]> => {
  let step = 0;
  const run = async (command: RotationCommand) => {
    const outcome = await service.execute(rotationId, command, `${rotationId}-cmd-${++step}`);
    if (outcome.kind !== 'accepted') throw new Error(`step ${step} (${command.type}) was rejected: ${JSON.stringify(outcome)}`);
  };
  const at = () => minute(step);
  await run({ type: 'OpenRotation', rotationId, venue: 'The Blue Room', settings: { autoAdvance: false }, actor: KJ, at: at() });
  // Amy and Bo take the same song from the KJ's book, both sing it; Amy's second book song is a no-show.
  const fromBook: Record<string, string> = { amy: 'book-hit', bo: 'book-hit' };
  for (const id of ['amy', 'bo', 'cy']) {
    const book = fromBook[id] ? { bookSongId: fromBook[id] } : {};
    await run({ type: 'JoinRotation', singerId: id, displayName: id.toUpperCase(), songId: `${id}-1`, song: tune(`${id} one`), ...book, actor: singer(id), at: at() });
  }
  await run({ type: 'QueueSong', singerId: 'amy', songId: 'amy-2', song: tune('amy two'), bookSongId: 'book-miss', actor: singer('amy'), at: at() });
  await run({ type: 'SkipTurn', singerId: 'bo', actor: singer('bo'), at: at() });
  const sing = async (turnId: string) => {
    await run({ type: 'CallNext', turnId, actor: KJ, at: at() });
    await run({ type: 'StartTurn', turnId, actor: KJ, at: at() });
    await run({ type: 'CompleteTurn', turnId, actor: KJ, at: at() });
  };
  await sing('t1'); // amy
  await sing('t2'); // cy (bo skips)
  await run({ type: 'CallNext', turnId: 't3', actor: KJ, at: at() }); // amy again: a no-show
  await run({ type: 'ForfeitTurn', turnId: 't3', actor: { id: 'wf', role: 'system' }, at: at() });
  await sing('t4'); // bo
  return service.read(rotationId).then((log) => [...(log?.commits ?? [])]);
};

export const foldCommits = (commits: readonly StoredCommit[]): RotationState =>
  fold(rotationDecider, commits.flatMap((c) => c.events.map(({ type, data }) => ({ type, data }) as RotationEvent)));

/** Every TurnCompleted of the commits, as the history should list it. */
export const completedPerformances = (commits: readonly StoredCommit[]) =>
  commits.flatMap((c) => c.events.filter((e) => e.type === 'TurnCompleted').map((e) => ({ streamId: c.streamId, data: e.data as Record<string, unknown> })));

/** Everything the read models hold, sorted, for before/after comparisons. */
export const snapshotReadModels = async (dynamo: EmbeddedDynamoHandle) => {
  const doc = documentClient(dynamo.client);
  const scan = async (tableName: string) => {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ConsistentRead: true }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    // The queue state is gzipped JSON: compare what it says, not its bytes.
    return items.map((item) => canonicalJson(item.state instanceof Uint8Array ? { ...item, state: JSON.parse(gunzipSync(item.state).toString()) } : item)).sort();
  };
  const { queueView, singerHistory, projectionCheckpoints, songbook } = dynamo.tableNames;
  // The history's checkpoint trails on purpose (CHECKPOINT_LAG_VERSIONS): how far is not what it says; the
  // stream and the venue it carries are.
  const checkpoints = (await scan(projectionCheckpoints)).map((json) => {
    const { version: _version, lastSeq: _lastSeq, ...rest } = JSON.parse(json) as Record<string, unknown>;
    return canonicalJson(rest);
  }).sort();
  // The songbook table holds only the popular-songs counters here (no book is imported).
  return { queueView: await scan(queueView), singerHistory: await scan(singerHistory), popular: await scan(songbook), checkpoints };
};

