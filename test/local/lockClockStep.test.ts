/**
 * Review R: the reused-pid check of the data folder lock (a live pid whose /proc start time is more than 60 s after
 * the lock's startedAt "did not write it") reads the start time through /proc/stat's btime, which is wall-clock
 * time minus uptime: when the clock is stepped forward after the engine wrote its lock (a Raspberry Pi with no
 * real-time clock that boots with a stale time and is set by NTP once on the Wi-Fi; WSL2 after the laptop slept;
 * a VM resumed), the running engine seems to have started after its own lock by the size of the step.
 *
 * Simulated without touching the clock: the lock of a running engine is given the startedAt it would carry had
 * the clock been an hour behind when it was written, which is what the check then compares.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { StoreLockedError } from '../../src/eventstore/errors';
import { startEmbeddedDynamo } from '../../src/local/embeddedDynamo';

const ROOT = resolve(__dirname, '../..');
const ENGINE_STORE = `
  const { startEmbeddedDynamo } = require(${JSON.stringify(join(ROOT, 'src/local/embeddedDynamo.ts'))});
  startEmbeddedDynamo({ dataDir: process.env.DIR, transport: 'in-process' }).then((store) => {
    process.stdout.write('ready\\n');
    const alive = setInterval(() => {}, 60_000); // an in-process store holds no handle that keeps it running
    process.on('SIGTERM', () => store.close().then(() => { clearInterval(alive); process.exit(0); }));
  });
`;

describe('the data folder lock of a running engine, after the clock was stepped forward', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('still refuses a second opener, and leaves the running engine its lock', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lock-step-'));
    child = spawn(process.execPath, ['--import', 'tsx', '-e', ENGINE_STORE], { cwd: ROOT, env: { ...process.env, DIR: dir }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk));
    while (!out.includes('ready')) await once(child.stdout!, 'data');

    const lockPath = join(dir, 'engine.lock');
    const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { pid: number; host: string; startedAt: string };
    expect(lock.pid).toBe(child.pid);
    // Written while the clock read an hour less than it does now for the same instant.
    const stepped = { ...lock, startedAt: new Date(Date.parse(lock.startedAt) - 3_600_000).toISOString() };
    writeFileSync(lockPath, JSON.stringify(stepped));

    const error = await startEmbeddedDynamo({ dataDir: dir, transport: 'in-process' }).then(
      async (store) => {
        await store.close();
        return 'opened';
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreLockedError);
    // The refusal names the engine that holds the folder…
    expect(error).toMatchObject({ holderPid: child.pid });
    // …and its lock is still there (taken over, then deleted by the refused opener, a third start meets no lock).
    expect(existsSync(lockPath) && JSON.parse(readFileSync(lockPath, 'utf8'))).toEqual(stepped);
  });
});

/**
 * Review R: a lock naming this process is now held only if this process holds "this path" (heldHere, keyed by the
 * resolved path string). The same folder reached by another path (a symlink; on macOS another letter case) is
 * then another folder: the lock is taken over, and LevelDB's own lock does not stop it either (it too is per
 * file name within one process), so two stores write one LevelDB. Before 0cc2d03 this was refused.
 */
describe('one process, one data folder reached by two paths', () => {
  it('refuses the second store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-link-'));
    const link = `${dir}-link`;
    symlinkSync(dir, link);
    const first = await startEmbeddedDynamo({ dataDir: dir, transport: 'in-process' });
    try {
      const second = await startEmbeddedDynamo({ dataDir: link, transport: 'in-process' }).then(
        async (store) => {
          await store.close();
          return 'opened';
        },
        (e: unknown) => e,
      );
      expect(second).toBeInstanceOf(StoreLockedError);
    } finally {
      await first.close();
      rmSync(link, { force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
