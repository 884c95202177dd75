/**
 * The embedded DynamoDB-wire server (dynalite) for the one-machine runtime and tests: in memory, or persisted
 * in a data folder that only one engine may use at a time.
 */
import { Readable } from 'node:stream';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { StoreLockedError, StoreWriteFailedError } from '../eventstore/errors';
import { dynaliteOperation } from './dynaliteActions';
import { DataFolderError } from './dataFolder';
import { answerInProcess } from './directItemCommands';
import { inProcessRequestHandler } from './inProcessTransport';
import { TABLES, createTableInput, tableNames as defaultTableNames, type TableKey, type TableNames } from '../eventstore/tables';

export interface EmbeddedDynamoOptions {
  /** LevelDB folder; undefined keeps everything in memory. */
  readonly dataDir?: string;
  /** 0 (default) picks a free port. Always bound to 127.0.0.1. */
  readonly port?: number;
  readonly tableNames?: TableNames;
  /**
   * Sync every LevelDB write to disk before dynalite answers (default true with a data folder): an append the
   * API acknowledged survives a power cut. dynalite writes with LevelDB's default `sync: false`, which only
   * survives a crash of the process. false trades that for speed (`npm run bench:store` prints both rates).
   */
  readonly durable?: boolean;
  /**
   * `in-process` (what the engine uses): requests go straight to dynalite in this process, with no port, so no
   * other process can reach the store; item requests are answered by dynalite's actions without HTTP between
   * (dynaliteActions.ts). `tcp` (default; tests and tools that need an endpoint URL): a loopback port.
   */
  readonly transport?: 'tcp' | 'in-process';
  /** Told once, when a write to the data folder first fails (from then on every write is refused: see guardedWrites). */
  readonly onWriteFailed?: (error: StoreWriteFailedError) => void;
}

export interface EmbeddedDynamo {
  /** The loopback URL with `tcp`; with `in-process` a name that no socket answers (the SDK wants a URL). */
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly tableNames: TableNames;
  readonly dataDir?: string;
  /** Set once a write to the data folder failed: the store then refuses writes until it is opened again. */
  writeFailed(): StoreWriteFailedError | undefined;
  close(): Promise<void>;
}

// dynalite ships no types: the parts used here.
interface DynaliteStore {
  readonly db: { open(): Promise<void>; close(): Promise<void> };
  /** Waits for queued operations before closing LevelDB (dynalite ≥ 4). */
  readonly lifecycleManager?: { gracefulClose(done: (err?: Error | null) => void): void };
}
type DynaliteFactory = (options: Record<string, unknown>) => Server;
const dynalite = require('dynalite') as DynaliteFactory;
const dynaliteDb = require('dynalite/db') as { create: (options: Record<string, unknown>) => DynaliteStore };

const LOCK_FILE = 'engine.lock';

export const startEmbeddedDynamo = async ({
  dataDir,
  port = 0,
  tableNames = defaultTableNames(),
  durable = true,
  transport = 'tcp',
  onWriteFailed = () => {},
}: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> => {
  const dir = dataDir === undefined ? undefined : resolve(dataDir);
  const releaseLock = dir === undefined ? () => {} : acquireLock(dir);

  let server: Server | undefined;
  let store: DynaliteStore | undefined;
  let client: DynamoDBClient | undefined;
  let inFlight = (): number => 0;
  const inProcess = transport === 'in-process';
  let closed = false;
  const writes: WriteGuard = { onFailed: onWriteFailed };
  const stop = (s: Server, c: DynamoDBClient | undefined) => {
    closed = true;
    return inProcess ? closeInProcess(store!, c, inFlight) : shutdown(s, c, inFlight);
  };
  try {
    const created = createServer(dir, durable, writes);
    server = created.server;
    store = created.store;
    inFlight = trackInFlight(server);
    // LevelDB's own lock is the backstop (e.g. a lock file deleted by hand). Opening here, before any request,
    // turns its failure into StoreLockedError instead of an unhandled stream error that kills the process.
    // (Non-passive: if dynalite's deferred open failed, this retries it and reports the cause, LEVEL_LOCKED.)
    await store.db.open().catch((err: unknown) => {
      if (isLevelLocked(err)) throw new StoreLockedError(dir ?? '', undefined, { cause: err });
      // Opening writes too (LevelDB turns its log into a table): a full disk must be said in words, not a stack.
      const io = levelErrorOf(err, 'LEVEL_IO_ERROR');
      if (io) {
        throw new DataFolderError(`The data folder ${dir} cannot be opened: writing to it failed (${io.message}). Free some disk space and start again; nothing was changed.`, { cause: err });
      }
      throw err;
    });
    if (!inProcess) await listen(server, port);
    const endpoint = inProcess ? IN_PROCESS_ENDPOINT : `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dynaliteStore = store;
    const handler = inProcess
      ? inProcessRequestHandler(server, { isClosed: () => closed, direct: (name) => dynaliteOperation(dynaliteStore, name) })
      : undefined;
    if (handler) {
      const served = inFlight;
      inFlight = () => served() + handler.directInFlight();
    }
    client = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      ...(handler ? { requestHandler: handler, httpAuthSchemes: [IN_PROCESS_AUTH] } : {}),
    });
    if (handler) answerInProcess(client, handler);
    await createMissingTables(client, tableNames);

    const [openServer, openClient] = [server, client];
    let closing: Promise<void> | undefined;
    return {
      endpoint,
      client,
      tableNames,
      ...(dir === undefined ? {} : { dataDir: dir }),
      writeFailed: () => writes.failed,
      close: () => (closing ??= stop(openServer, openClient).finally(releaseLock)),
    };
  } catch (err) {
    if (server) await stop(server, client).catch(() => {});
    releaseLock();
    throw err;
  }
};

/** dynalite keeps its store private; capture it from its db module (synchronous, so no other start interleaves). */
const createServer = (dir: string | undefined, durable: boolean, writes: WriteGuard): { server: Server; store: DynaliteStore } => {
  const originalCreate = dynaliteDb.create;
  let store: DynaliteStore | undefined;
  dynaliteDb.create = (options) => (store = dir !== undefined ? guardedWrites(() => originalCreate(options), { sync: durable, writes }) : originalCreate(options));
  try {
    const server = dynalite({
      ...(dir === undefined ? {} : { path: dir }),
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    });
    if (!store) throw new Error('dynalite did not create its store through dynalite/db (version changed?)');
    readInBatches((store as unknown as { db: BatchReadable }).db);
    return { server, store };
  } finally {
    dynaliteDb.create = originalCreate;
  }
};

interface BatchReadable {
  values(options: object): { nextv(size: number): Promise<unknown[]>; close(): Promise<void> };
  createValueStream(options: object): Readable;
}

/** The first batch is what dynalite reads for a page of one (it stops at the item past its limit); they double from there. */
const FIRST_READ_BATCH = 2;
const MAX_READ_BATCH = 128;

/**
 * dynalite reads a Query's or Scan's items through a stream that asks the database for one value at a time (a
 * promise and a push each); this one takes them in batches that grow as the read goes on. dynalite destroys the
 * stream once it has its page, so reading ahead costs at most the last batch, about as much as was read before it.
 */
const readInBatches = (db: BatchReadable): void => {
  db.createValueStream = (options) => {
    const iterator = db.values(options);
    let batch = FIRST_READ_BATCH;
    return new Readable({
      objectMode: true,
      highWaterMark: MAX_READ_BATCH,
      read() {
        const size = batch;
        batch = Math.min(batch * 2, MAX_READ_BATCH);
        iterator.nextv(size).then(
          (values) => {
            if (values.length === 0) return void this.push(null);
            // dynalite may destroy the stream within the loop, as soon as its page is full.
            for (let i = 0; i < values.length && !this.destroyed; i++) this.push(values[i]);
          },
          (err: Error) => this.destroy(err),
        );
      },
      destroy(err, callback) {
        iterator.close().then(() => callback(err), () => callback(err));
      },
    });
  };
};

// dynalite's LevelDB class (resolved from dynalite, so it is the very module dynalite uses).
interface LevelPrototype {
  put(key: unknown, value: unknown, options?: object): Promise<void>;
  del(key: unknown, options?: object): Promise<void>;
  batch(operations?: unknown[], options?: object): unknown;
}
const levelPrototype = (require(require.resolve('level', { paths: [dirname(require.resolve('dynalite'))] })) as { Level: { prototype: LevelPrototype } }).Level.prototype;

/** The write failure of one store, once there is one. */
interface WriteGuard {
  failed?: StoreWriteFailedError;
  readonly onFailed: (error: StoreWriteFailedError) => void;
}

/** LevelDB's own I/O failures (disk full, a file past the size limit, a bad disk), not a closed database's. */
const isWriteFailure = (err: unknown): boolean => ['LEVEL_IO_ERROR', 'LEVEL_CORRUPTION'].includes((err as { code?: string } | null)?.code ?? '');

/**
 * dynalite binds the database's put/del/batch once, as it creates its store (db/index.js wrapWithCallbacks),
 * and never passes write options. For that moment the Level class's methods are wrapped, so the bound methods
 * this store keeps (every write of every table goes through them):
 * - sync every write when `sync` (dynalite writes with LevelDB's default `sync: false`);
 * - fail-stop after a failed write: LevelDB has then advanced its log past a record it did not wholly write,
 *   and on the next open it drops the rest of that log block as corrupt, so writes it acknowledged after the
 *   failure (once space was freed) would vanish at a restart. Refusing every write until the store is opened
 *   again means nothing is acknowledged that a restart could lose.
 * The class is restored at once (synchronous: nothing interleaves).
 */
const guardedWrites = <T>(create: () => T, { sync, writes }: { sync: boolean; writes: WriteGuard }): T => {
  const own = Object.getOwnPropertyDescriptors(levelPrototype);
  const { put, del, batch } = levelPrototype;
  const options = (given: object | undefined) => (sync ? { ...given, sync: true } : given);
  const guard = async (write: () => unknown): Promise<void> => {
    if (writes.failed) throw writes.failed;
    try {
      await write();
    } catch (err) {
      if (!isWriteFailure(err)) throw err;
      if (!writes.failed) {
        writes.failed = new StoreWriteFailedError(err);
        writes.onFailed(writes.failed);
      }
      throw writes.failed;
    }
  };
  levelPrototype.put = function (this: LevelPrototype, key, value, given) {
    return guard(() => put.call(this, key, value, options(given)));
  };
  levelPrototype.del = function (this: LevelPrototype, key, given) {
    return guard(() => del.call(this, key, options(given)));
  };
  levelPrototype.batch = function (this: LevelPrototype, operations, given) {
    // batch() with no arguments is the chained form, whose write() takes its own options; dynalite does not use it.
    return operations === undefined ? batch.call(this) : guard(() => batch.call(this, operations, options(given)));
  };
  try {
    return create();
  } finally {
    for (const name of ['put', 'del', 'batch'] as const) {
      if (own[name]) Object.defineProperty(levelPrototype, name, own[name]);
      else delete (levelPrototype as Partial<LevelPrototype>)[name];
    }
  }
};

const listen = (server: Server, port: number): Promise<void> =>
  new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePromise();
    });
  });

/** Counts requests dynalite has not answered yet, so close can wait for them (see shutdown). */
const trackInFlight = (server: Server): (() => number) => {
  let inFlight = 0;
  server.prependListener('request', (_req, res) => {
    inFlight++;
    const end = res.end.bind(res);
    res.end = ((...args: Parameters<typeof res.end>) => {
      inFlight--;
      return end(...args);
    }) as typeof res.end;
  });
  return () => inFlight;
};

/**
 * Stops accepting connections, lets dynalite answer what it is working on, then drops the connections; dynalite
 * closes LevelDB (releasing its LOCK) when the last one is gone. Closing LevelDB under a queued operation makes
 * dynalite throw "Database is closed" out of a callback, which would kill the process.
 */
const shutdown = async (server: Server, client: DynamoDBClient | undefined, inFlight: () => number): Promise<void> => {
  const closed = new Promise<void>((resolvePromise, reject) =>
    server.close((err) => (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING' ? reject(err) : resolvePromise())),
  );
  for (const started = Date.now(); inFlight() > 0 && Date.now() - started < 10_000; ) {
    await new Promise((r) => setTimeout(r, 5));
  }
  client?.destroy();
  server.closeAllConnections();
  await closed;
};

/** No socket answers this: the in-process handler takes every request before any connection would be made. */
const IN_PROCESS_ENDPOINT = 'http://dynalite.in-process.invalid';

/**
 * In-process there is nothing to authenticate to: requests carry an Authorization header of the right form (the
 * server checks that it is there, never the signature) instead of a SigV4 signature hashed for each request.
 */
const IN_PROCESS_AUTH = {
  schemeId: 'aws.auth#sigv4',
  identityProvider: (config: { getIdentityProvider(schemeId: string): unknown }) => config.getIdentityProvider('aws.auth#sigv4'),
  signer: {
    sign: async <R extends { headers: Record<string, string> }>(request: R): Promise<R> => {
      request.headers.authorization = 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=in-process';
      request.headers['x-amz-date'] = '20260101T000000Z';
      return request;
    },
  },
} as never;

/** In-process: nothing listens, so closing is waiting for dynalite's answers, then closing LevelDB (its LOCK). */
const closeInProcess = async (store: DynaliteStore, client: DynamoDBClient | undefined, inFlight: () => number): Promise<void> => {
  for (const started = Date.now(); inFlight() > 0 && Date.now() - started < 10_000; ) {
    await new Promise((r) => setTimeout(r, 5));
  }
  client?.destroy();
  const manager = store.lifecycleManager;
  if (manager) await new Promise<void>((resolvePromise, reject) => manager.gracefulClose((err) => (err ? reject(err) : resolvePromise())));
  else await store.db.close();
};

const createMissingTables = async (client: DynamoDBClient, names: TableNames): Promise<void> => {
  for (const key of Object.keys(TABLES) as TableKey[]) {
    const tableName = names[key];
    try {
      await client.send(new CreateTableCommand(createTableInput(TABLES[key], tableName)));
    } catch (err) {
      if ((err as Error).name !== 'ResourceInUseException') throw err;
    }
    await waitUntilActive(client, tableName);
  }
};

const waitUntilActive = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  for (let i = 0; i < 500; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`Table ${tableName} did not become ACTIVE`);
};

const isLevelLocked = (err: unknown): boolean => levelErrorOf(err, 'LEVEL_LOCKED') !== undefined;

/** The error with this LevelDB code in the chain of causes, if any. */
const levelErrorOf = (err: unknown, code: string): Error | undefined => {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === code) return e as Error;
  }
  return undefined;
};

interface LockContent {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  /**
   * Linux: the kernel's boot id and the writer's start time in clock ticks after boot. Together they name the
   * writing process exactly, however the wall clock was stepped since (an NTP step moves /proc/stat's btime).
   */
  readonly boot?: string;
  readonly startTicks?: number;
}

/**
 * A pid lock file in the data folder: a clear error while another engine runs, and a lock left by a dead
 * process is taken over. Returns the release function.
 */
const acquireLock = (dir: string): (() => void) => {
  mkdirSync(dir, { recursive: true });
  const lockPath = join(dir, LOCK_FILE);
  const folder = folderKey(dir);
  const self = procStat(process.pid);
  const boot = bootId();
  const mine: LockContent = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    ...(self && boot ? { boot, startTicks: self.startTicks } : {}),
  };
  for (let tries = 0; tries < 5; tries++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, JSON.stringify(mine));
      closeSync(fd);
      heldHere.add(folder);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldHere.delete(folder);
        const current = readLock(lockPath);
        if (current?.pid === mine.pid && current.startedAt === mine.startedAt) unlinkSync(lockPath);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readLock(lockPath);
    if (holder && isAlive(holder, folder)) throw new StoreLockedError(dir, holder.pid);
    // An unreadable lock may be one another engine is writing this instant; only an old one is debris.
    if (!holder && isRecent(lockPath)) throw new StoreLockedError(dir);
    // Stale (its process is gone) or debris of a crash mid-write: take it over.
    try {
      unlinkSync(lockPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new StoreLockedError(dir);
};

const readLock = (lockPath: string): LockContent | undefined => {
  try {
    const content = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockContent>;
    return typeof content.pid === 'number' ? (content as LockContent) : undefined;
  } catch {
    return undefined;
  }
};

const isRecent = (path: string): boolean => {
  try {
    return Date.now() - statSync(path).mtimeMs < 5000;
  } catch {
    return false;
  }
};

/**
 * Folders this process holds the lock of now, by device and inode (one folder may be reached by several paths: a
 * symlink, another letter case on macOS): a lock naming this process and not among them is an earlier life's.
 */
const heldHere = new Set<string>();

const folderKey = (dir: string): string => {
  const { dev, ino } = statSync(dir);
  return `${dev}:${ino}`;
};

/** Linux: this boot's id; undefined elsewhere. */
const bootId = (): string | undefined => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
};

/**
 * How much later than its lock a process may seem to have started and still be its writer: the lock is written
 * after the process starts, but the boot time /proc reports moves with clock adjustments.
 */
const PID_REUSE_SLACK_MS = 60_000;

const isAlive = ({ pid, host, startedAt, boot, startTicks }: LockContent, folder: string): boolean => {
  if (host !== hostname()) return true; // Cannot see another machine's processes: assume it is running.
  // This process: another engine in it, or an earlier life under the same pid (a container's pid 1 restarted).
  if (pid === process.pid) return heldHere.has(folder);
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false; // EPERM: alive, another user's
  }
  const proc = procStat(pid);
  if (!proc) return true; // No /proc (macOS): it cannot tell, so the process may be the engine.
  // A signal reaches a process that has exited but whose parent has not reaped it yet; it holds nothing.
  if (proc.state === 'Z' || proc.state === 'X') return false;
  // The lock names its writer exactly: any other process under that pid (after a reboot, or started later) is not it.
  if (boot !== undefined && startTicks !== undefined) return boot === bootId() && proc.startTicks === startTicks;
  // A lock without them (written elsewhere, or by an older engine): compare wall-clock times.
  // One that started after the lock was written did not write it: the pid was reused (after a reboot, a power cut).
  return !(proc.startedMs > Date.parse(startedAt) + PID_REUSE_SLACK_MS);
};

/** Linux: a process's state and start time (ms since the epoch) from /proc; undefined elsewhere. */
const procStat = (pid: number): { state: string; startedMs: number; startTicks: number } | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name, which is in parentheses and may itself hold ") ": state first,
    // start time (clock ticks after boot) 19 fields later.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    // /proc counts in USER_HZ, which the Linux ABI fixes at 100 a second.
    const startTicks = Number(fields[19]);
    return { state: fields[0]!, startedMs: bootSeconds * 1000 + startTicks * 10, startTicks };
  } catch {
    return undefined;
  }
};
