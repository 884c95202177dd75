import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../src/eventstore/dynamo';
import { createRotationService } from '../../src/eventstore/rotationService';
import { createDynamoEventStore } from '../../src/eventstore/dynamoEventStore';
import { startEmbeddedDynamo } from '../../src/local/embeddedDynamo';
import { startEngine, type Engine } from '../../src/local/engine';
import { requestJson } from '../support/api';
import { createRotationReadModels } from '../../src/projections';
import { readQueueViewState } from '../../src/projections/queueViewProjection';

const call = (engine: Engine, method: string, path: string, token: string, body?: unknown) => requestJson(engine.url, method, path, { token, body });

/** The data folder's store with the engine stopped: what a crashed engine left, or a hand that damaged it. */
const withStore = async <T>(dataDir: string, use: (parts: ReturnType<typeof open>) => Promise<T>): Promise<T> => {
  const dynamo = await startEmbeddedDynamo({ dataDir, transport: 'in-process' });
  try {
    return await use(open(dynamo));
  } finally {
    await dynamo.close();
  }
};
const open = (dynamo: Awaited<ReturnType<typeof startEmbeddedDynamo>>) => {
  const store = createDynamoEventStore({ client: dynamo.client, tableName: dynamo.tableNames.events });
  return { dynamo, store, service: createRotationService({ store }), readModels: createRotationReadModels(dynamo.client, dynamo.tableNames) };
};

/** An engine started on the data folder, used, then stopped cleanly. */
const withEngine = async <T>(dataDir: string, use: (engine: Engine) => Promise<T>): Promise<T> => {
  const engine = await startEngine({ dataDir, port: 0 });
  try {
    return await use(engine);
  } finally {
    await engine.stop();
  }
};

const singerNames = (queue: { body: { singers?: { displayName: string }[] } }) => (queue.body.singers ?? []).map((s) => s.displayName).sort();

describe('start-up after a clean stop (the caught-up mark)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rotation-caught-up-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  let rotation = '';
  let kj = '';

  it('a clean stop leaves the mark; a start takes it, so a crash after it leaves none', async () => {
    const first = await startEngine({ dataDir, port: 0 });
    kj = first.tokens.issue({ sub: 'kj-ann', name: 'Ann', role: 'kj' });
    const opened = await call(first, 'POST', '/rotations', kj, { venue: 'Mark Room', settings: { autoAdvance: false } });
    rotation = opened.body.rotationId;
    await call(first, 'POST', `/rotations/${rotation}/singers`, kj, { singerId: 'amy', displayName: 'Amy', song: { title: 'Jolene', artist: 'Dolly Parton' } });
    await first.stop();
    expect(await withStore(dataDir, async ({ readModels }) => readModels.caughtUp.take())).toBe(true);
  });

  it('without the mark (a crash between an append and its projection) the start catches every stream up', async () => {
    // What a crashed engine leaves: its start took the mark, a commit reached the table but no read model.
    await withStore(dataDir, async ({ service }) => {
      const outcome = await service.execute(rotation, { type: 'JoinRotation', singerId: 'bo', displayName: 'Bo', songId: 'bo-1', song: { title: 'Hurt', artist: 'Johnny Cash' }, actor: { id: 'bo', role: 'singer' }, at: new Date().toISOString() }, 'crash-join-bo');
      expect(outcome.kind).toBe('accepted');
    });
    expect(singerNames(await withEngine(dataDir, (second) => call(second, 'GET', `/rotations/${rotation}/queue`, kj)))).toEqual(['Amy', 'Bo']);
  });

  it('with the mark the start reads no stream: it serves the read models as the clean stop left them', async () => {
    // Damage made while stopped is not looked for (`rotation rebuild` repairs it); only the mark is trusted.
    await withStore(dataDir, async ({ dynamo }) => {
      await documentClient(dynamo.client).send(new DeleteCommand({ TableName: dynamo.tableNames.queueView, Key: { rotationId: rotation } }));
    });
    expect((await withEngine(dataDir, (third) => call(third, 'GET', `/rotations/${rotation}/queue`, kj))).status).toBe(404);
    // No mark now (it was taken), so the next start catches up and repairs the view.
    await withStore(dataDir, async ({ readModels }) => readModels.caughtUp.take());
    expect(singerNames(await withEngine(dataDir, (fourth) => call(fourth, 'GET', `/rotations/${rotation}/queue`, kj)))).toEqual(['Amy', 'Bo']);
  });

  it('a stop that cannot write a queue view out leaves no mark, and the next start catches the view up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rotation-caught-up-unwritten-'));
    // The refused writes are logged as they should be; here they are the point, not news.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const engine = await startEngine({ dataDir: dir, port: 0 });
      const token = engine.tokens.issue({ sub: 'kj-ann', name: 'Ann', role: 'kj' });
      const opened = await call(engine, 'POST', '/rotations', token, { venue: 'Unwritten Room', settings: { autoAdvance: false } });
      const id = opened.body.rotationId as string;
      // From here the store refuses every queue view item (as if unreachable): the join is served from the held
      // state, and its item, written behind, never reaches the table.
      engine.dynamo.client.middlewareStack.add(
        (next) => async (args) => {
          const input = args.input as { TableName?: string; Item?: unknown };
          if (input.TableName === engine.dynamo.tableNames.queueView && input.Item !== undefined) {
            throw Object.assign(new Error('connect ECONNREFUSED (test)'), { name: 'TimeoutError' });
          }
          return next(args);
        },
        { step: 'initialize', name: 'refuseQueueViewWrites' },
      );
      await call(engine, 'POST', `/rotations/${id}/singers`, token, { singerId: 'amy', displayName: 'Amy', song: { title: 'Jolene', artist: 'Dolly Parton' } });
      expect(singerNames(await call(engine, 'GET', `/rotations/${id}/queue`, token))).toEqual(['Amy']);
      await engine.stop();

      // The table never got the join's view (nor perhaps the opening's), and no mark claims otherwise.
      const left = await withStore(dir, async ({ dynamo, readModels }) => {
        const version = (await readQueueViewState(documentClient(dynamo.client), id, dynamo.tableNames.queueView))?.version ?? 0;
        return { joinWritten: version >= 2, marked: await readModels.caughtUp.take() };
      });
      expect(left).toEqual({ joinWritten: false, marked: false });
      expect(singerNames(await withEngine(dir, (next) => call(next, 'GET', `/rotations/${id}/queue`, token)))).toEqual(['Amy']);
      // The catch-up wrote the item, and that engine's clean stop marked it current.
      expect(await withStore(dir, async ({ dynamo, readModels }) => {
        const version = (await readQueueViewState(documentClient(dynamo.client), id, dynamo.tableNames.queueView))?.version;
        return { version, marked: await readModels.caughtUp.take() };
      })).toEqual({ version: 2, marked: true });
    } finally {
      quiet.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an engine whose store has a port (another process may append) never leaves the mark', async () => {
    const engine = await startEngine({ dataDir, port: 0, storeTransport: 'tcp' });
    await engine.stop();
    expect(await withStore(dataDir, async ({ readModels }) => readModels.caughtUp.take())).toBe(false);
  });
});
