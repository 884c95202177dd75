import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreLockedError } from '../../src/eventstore/errors';
import { startEmbeddedDynamo } from '../../src/local/embeddedDynamo';

/**
 * The data folder's lock names the pid of the engine that holds it. After a crash or a power cut that pid can
 * name a live process that is not an engine: in a container the engine is pid 1 again after a restart (the
 * lock names the new engine itself), and after a reboot the number goes to whatever starts next. Such a lock is
 * stale; only the process that wrote it, still running, holds the folder.
 */
describe('the data folder lock after a crash', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const folderLockedBy = (pid: number, startedAt: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'lock-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'engine.lock'), JSON.stringify({ pid, host: hostname(), startedAt }));
    return dir;
  };
  /** A live process that is not an engine, started now. */
  const otherProcess = async () => {
    const child = spawn('sleep', ['60'], { stdio: 'ignore' });
    children.push(child);
    await once(child, 'spawn');
    return child.pid!;
  };
  const lockOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'engine.lock'), 'utf8')) as { pid: number; startedAt: string };

  it('takes over a lock naming this very process from an earlier life (a container engine restarted as pid 1)', async () => {
    const dir = folderLockedBy(process.pid, '2025-01-01T00:00:00.000Z');
    const dynamo = await startEmbeddedDynamo({ dataDir: dir });
    try {
      expect(lockOf(dir)).toMatchObject({ pid: process.pid, startedAt: expect.not.stringMatching(/^2025-/) });
      // …while a second engine in this process is still refused.
      await expect(startEmbeddedDynamo({ dataDir: dir })).rejects.toBeInstanceOf(StoreLockedError);
    } finally {
      await dynamo.close();
    }
  });

  it('takes over a lock whose pid now names a process started after the lock was written (reused after a reboot)', async () => {
    const pid = await otherProcess();
    const dir = folderLockedBy(pid, '2025-01-01T00:00:00.000Z');
    const dynamo = await startEmbeddedDynamo({ dataDir: dir });
    try {
      expect(lockOf(dir).pid).toBe(process.pid);
    } finally {
      await dynamo.close();
    }
  });

  it('still refuses while the process that wrote the lock runs', async () => {
    const pid = await otherProcess();
    const dir = folderLockedBy(pid, new Date().toISOString());
    const error = await startEmbeddedDynamo({ dataDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreLockedError);
    expect(error).toMatchObject({ code: 'store-locked', holderPid: pid });
  });
});
