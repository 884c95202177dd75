import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queueView } from '../../src/aggregates/rotation';
import { createRotationService } from '../../src/eventstore/rotationService';
import { createDynamoEventStore } from '../../src/eventstore/dynamoEventStore';
import { startEmbeddedDynamo } from '../../src/local/embeddedDynamo';
import { startEngine, type Engine } from '../../src/local/engine';
import { createRotationReadModels } from '../../src/projections';
import { song, startTestApi } from '../support/api';
import { completedPerformances, foldCommits, KJ, minute, tune } from './support';

/** The API's queue and history routes read the projections, which the feed keeps current. */
describe('read models behind the API', () => {
  const api = startTestApi();

  it('the queue route shows each command at once and equals a fresh fold of the stream; history lists each performance once', async () => {
    const kj = api.token('kj-ann', 'kj');
    const singer = (id: string) => api.token(id, 'singer');
    const opened = await api.request('POST', '/rotations', { token: kj, body: { venue: 'The Blue Room', settings: { autoAdvance: false } } });
    const rotationId = opened.body.rotationId as string;
    const r = `/rotations/${rotationId}`;
    const queue = async () => (await api.request('GET', `${r}/queue`, { token: kj })).body;

    for (const id of ['amy', 'bo']) {
      const joined = await api.request('POST', `${r}/singers`, { token: singer(id), body: { displayName: id, song: song(`${id}-1`) } });
      // Read-your-writes: the awaited projection has applied the join before the response.
      expect((await queue()).version).toBe(joined.body.version);
    }
    await api.request('POST', `${r}/singers/amy/songs`, { token: singer('amy'), body: song('amy-2') });
    for (let i = 0; i < 3; i++) {
      const call = await api.request('POST', `${r}/turns`, { token: kj });
      await api.request('POST', `${r}/turns/${call.body.turnId}/start`, { token: kj });
      await api.request('POST', `${r}/turns/${call.body.turnId}/complete`, { token: kj });
    }

    const log = (await api.engine.service.read(rotationId))!;
    const view = await queue();
    // No turn is open, so the view does not depend on the clock: it must equal a fresh fold's exactly.
    expect(view.current).toBeNull();
    expect(view).toEqual({ ...queueView(foldCommits(log.commits), { version: log.version, now: new Date().toISOString() }), headHash: log.commits.at(-1)!.hash });

    const amy = (await api.request('GET', '/singers/amy/history', { token: singer('amy') })).body.performances;
    const sungByAmy = completedPerformances(log.commits).filter((p) => p.data.singerId === 'amy');
    expect(sungByAmy).toHaveLength(2);
    expect(amy).toEqual(
      sungByAmy.map(({ data }) => ({
        rotationId,
        venue: 'The Blue Room',
        song: data.song,
        startedAt: data.startedAt,
        completedAt: data.completedAt,
        durationSeconds: data.durationSeconds,
      })),
    );
    expect((await api.request('GET', '/singers/bo/history', { token: kj })).body.performances).toHaveLength(1);
    expect((await api.request('GET', '/singers/nobody/history', { token: kj })).body.performances).toEqual([]);
  });
});

describe('a crash between an append and its projection', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rotation-projections-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  // any: JSON bodies, checked by the assertions
  const get = async (engine: Engine, path: string, token: string): Promise<any> =>
    (await fetch(`${engine.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json();

  it('loses nothing: commits appended straight to the event table are in the read models after a restart', async () => {
    const first = await startEngine({ dataDir, port: 0 });
    const kj = first.tokens.issue({ sub: KJ.id, name: 'Ann', role: 'kj' });
    let rotationId: string;
    try {
      const opened = await fetch(`${first.url}/rotations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${kj}`, 'content-type': 'application/json' },
        body: JSON.stringify({ venue: 'Crash Bar', settings: { autoAdvance: false } }),
      });
      rotationId = ((await opened.json()) as { rotationId: string }).rotationId;
    } finally {
      await first.stop();
    }

    // The "crash": commits land in the event table and no projection ever sees them. A crashed engine leaves no
    // caught-up mark (its start took the one the clean stop above left; src/projections/caughtUpMark.ts).
    const dynamo = await startEmbeddedDynamo({ dataDir });
    try {
      expect(await createRotationReadModels(dynamo.client, dynamo.tableNames).caughtUp.take()).toBe(true);
      const service = createRotationService({ store: createDynamoEventStore({ client: dynamo.client, tableName: dynamo.tableNames.events }) });
      const run = async (command: Parameters<typeof service.execute>[1], id: string) => {
        expect((await service.execute(rotationId, command, id)).kind).toBe('accepted');
      };
      await run({ type: 'JoinRotation', singerId: 'amy', displayName: 'Amy', songId: 's1', song: tune('Jolene'), actor: { id: 'amy', role: 'singer' }, at: minute(1) }, 'c1');
      await run({ type: 'JoinRotation', singerId: 'bo', displayName: 'Bo', songId: 's2', song: tune('Hurt'), actor: { id: 'bo', role: 'singer' }, at: minute(2) }, 'c2');
      await run({ type: 'CallNext', turnId: 't1', actor: KJ, at: minute(3) }, 'c3');
      await run({ type: 'StartTurn', turnId: 't1', actor: KJ, at: minute(4) }, 'c4');
      await run({ type: 'CompleteTurn', turnId: 't1', actor: KJ, at: minute(8) }, 'c5');
    } finally {
      await dynamo.close();
    }

    const second = await startEngine({ dataDir, port: 0 });
    try {
      const log = (await second.service.read(rotationId))!;
      expect(log.version).toBe(6);
      const now = new Date().toISOString();
      const view = await get(second, `/rotations/${rotationId}/queue`, kj);
      expect(view).toMatchObject({ version: 6, current: null, singers: queueView(log.state, { version: 6, now }).singers });
      expect(view.singers.map((s: { singerId: string; turnsCompleted: number }) => `${s.singerId}:${s.turnsCompleted}`)).toEqual(['bo:0', 'amy:1']);
      expect((await get(second, '/singers/amy/history', kj)).performances).toEqual([
        { rotationId, venue: 'Crash Bar', song: tune('Jolene'), startedAt: minute(4), completedAt: minute(8), durationSeconds: 240 },
      ]);
    } finally {
      await second.stop();
    }
  });
});
