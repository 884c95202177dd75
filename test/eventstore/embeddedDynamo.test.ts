import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { handleCommand } from '../../src/eventstore/commandHandler';
import { GENESIS_HASH, verifyChain } from '../../src/eventstore/commit';
import { StoreLockedError } from '../../src/eventstore/errors';
import { createDynamoEventStore } from '../../src/eventstore/dynamoEventStore';
import { TABLES, tableNames } from '../../src/eventstore/tables';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../src/local/embeddedDynamo';
import { counterDecider } from './counterDecider';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rotation-store-'));
  dirs.push(dir);
  return dir;
};
const waitUntil = async (ready: () => boolean) => {
  while (!ready()) await new Promise((resolve) => setTimeout(resolve, 10));
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const increment = (dynamo: EmbeddedDynamo, commandId: string, by: number) =>
  handleCommand({
    store: createDynamoEventStore({ client: dynamo.client, tableName: dynamo.tableNames.events }),
    decider: counterDecider(),
    streamId: 'rotation#night',
    command: { type: 'increment', by },
    commandId,
    actor: { id: 'kj', role: 'kj' },
    at: new Date().toISOString(),
  });

const readNight = (dynamo: EmbeddedDynamo) =>
  createDynamoEventStore({ client: dynamo.client, tableName: dynamo.tableNames.events }).readStream('rotation#night');

/** A pid that certainly belonged to a process that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString() as unknown as number;

describe('embedded DynamoDB (dynalite)', () => {
  it('creates every table, idempotently, under overridable names', async () => {
    const names = tableNames({ prefix: 'it-' });
    const dir = tempDir();
    for (let run = 0; run < 2; run++) {
      const dynamo = await startEmbeddedDynamo({ dataDir: dir, tableNames: names });
      try {
        const { TableNames } = await dynamo.client.send(new ListTablesCommand({}));
        expect([...(TableNames ?? [])].sort()).toEqual(Object.values(names).sort());
        expect(names.events).toBe(`it-${TABLES.events.tableName}`);
        expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      } finally {
        await dynamo.close();
      }
    }
  });

  it('keeps the log across close and reopen of the on-disk store', async () => {
    const dir = tempDir();
    const first = await startEmbeddedDynamo({ dataDir: dir });
    await increment(first, 'a', 1);
    await increment(first, 'b', 2);
    const before = await readNight(first);
    await first.close();

    const second = await startEmbeddedDynamo({ dataDir: dir });
    try {
      expect(await readNight(second)).toEqual(before);
      expect(await increment(second, 'c', 3)).toMatchObject({ kind: 'accepted', version: 3, state: { value: 6 } });
      expect(await increment(second, 'a', 1)).toMatchObject({ kind: 'accepted', version: 1, replayed: true });
      expect(verifyChain(await readNight(second))).toBeNull();
    } finally {
      await second.close();
    }
  });

  it('refuses a second engine on the same data folder with StoreLockedError, and frees it on close', async () => {
    const dir = tempDir();
    const first = await startEmbeddedDynamo({ dataDir: dir });
    try {
      const error = await startEmbeddedDynamo({ dataDir: dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreLockedError);
      expect(error).toMatchObject({ code: 'store-locked', dataDir: dir, holderPid: process.pid });
      expect((error as Error).message).toContain(`Another engine is already using DATA_DIR ${dir}`);
      // The first engine is unharmed.
      expect(await increment(first, 'still-works', 1)).toMatchObject({ kind: 'accepted', version: 1 });
    } finally {
      await first.close();
    }
    const again = await startEmbeddedDynamo({ dataDir: dir });
    await again.close();
  });

  it('falls back on LevelDB\'s own lock when the lock file is gone', async () => {
    const dir = tempDir();
    const first = await startEmbeddedDynamo({ dataDir: dir });
    try {
      unlinkSync(join(dir, 'engine.lock'));
      const error = await startEmbeddedDynamo({ dataDir: dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreLockedError);
      expect(error).toMatchObject({ code: 'store-locked', dataDir: dir });
      expect(await increment(first, 'still-works', 1)).toMatchObject({ kind: 'accepted', version: 1 });
    } finally {
      await first.close();
    }
  });

  /** Leaves a lock naming `pid` in a closed store's folder, and expects a new start to take the folder over. */
  const expectTakeoverOfLock = async (lock: { pid: number; startedAt: string }) => {
    const dir = tempDir();
    const first = await startEmbeddedDynamo({ dataDir: dir });
    await first.close();
    writeFileSync(join(dir, 'engine.lock'), JSON.stringify({ ...lock, host: hostname() }));
    const second = await startEmbeddedDynamo({ dataDir: dir });
    try {
      expect(JSON.parse(readFileSync(join(dir, 'engine.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    } finally {
      await second.close();
    }
  };

  it('takes over a lock left by a process that died', async () => {
    await expectTakeoverOfLock({ pid: Number(deadPid()), startedAt: '2025-01-01T00:00:00Z' });
  });

  it('takes over a lock whose process has exited but not been reaped yet (a zombie)', async () => {
    // The shell's background child exits a moment later, once the shell has become `sleep`, which never reaps it
    // (a child that ended before the exec could be reaped by the shell itself).
    const parent = spawn('sh', ['-c', 'sleep 1 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number((await once(parent.stdout!, 'data'))[0].toString().trim());
      await waitUntil(() => readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '));
      // Written now, after the zombie started: only its state, not a reused pid, says it holds nothing.
      await expectTakeoverOfLock({ pid, startedAt: new Date().toISOString() });
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('closes cleanly while requests are still queued inside dynalite', async () => {
    const dir = tempDir();
    const dynamo = await startEmbeddedDynamo({ dataDir: dir });
    const store = createDynamoEventStore({ client: dynamo.client, tableName: dynamo.tableNames.events });
    // Many writers on one key queue up behind dynalite's item lock; closing LevelDB under them used to crash.
    const pending = Array.from({ length: 200 }, (_, i) =>
      store.append('rotation#night', 0, {
        commandId: `racer-${i}`, actor: { id: 'kj', role: 'kj' }, at: new Date().toISOString(), prevHash: GENESIS_HASH,
        events: [{ seq: 1, type: 'incremented', schemaVersion: 1, data: { by: 1 } }],
      }).then(() => 'landed', (e: Error) => e.name),
    );
    await Promise.race(pending); // dynalite is answering: the rest are in flight or queued
    await dynamo.close();
    const outcomes = await Promise.all(pending);
    expect(outcomes.filter((o) => o === 'landed')).toHaveLength(1);
    // The rest were refused or, once the server stopped, could not connect: never a crash, never a second write.
    expect(outcomes.every((o) => ['landed', 'ConcurrencyError', 'EventStoreUnavailableError'].includes(o))).toBe(true);

    const reopened = await startEmbeddedDynamo({ dataDir: dir });
    try {
      expect(await readNight(reopened)).toHaveLength(1);
    } finally {
      await reopened.close();
    }
  });

  it('runs any number of in-memory stores side by side', async () => {
    const [a, b] = await Promise.all([startEmbeddedDynamo(), startEmbeddedDynamo()]);
    try {
      await increment(a, 'only-in-a', 5);
      expect(await readNight(a)).toHaveLength(1);
      expect(await readNight(b)).toHaveLength(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
