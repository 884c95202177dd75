import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm start` on a data folder it cannot write (a read-only disk, a folder left by `sudo npm start`) says so in
 * one sentence and exits, instead of printing a stack trace. The folder is made read-only for real: a bind mount
 * in a user and mount namespace of the engine's own (`unshare -rm`), so nothing outside it changes.
 */
const REPO = resolve(__dirname, '..', '..');

const startOnReadOnly = (dataDir: string) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const script = 'mount --bind "$DATA_DIR" "$DATA_DIR" && mount -o remount,bind,ro "$DATA_DIR" && exec "$@"';
    const child = spawn('unshare', ['-rm', 'sh', '-c', script, 'sh', process.execPath, '--require', 'tsx/cjs', 'src/local/main.ts'], {
      cwd: REPO,
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, PUBLIC_URL: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Press Ctrl-C to stop.')) child.kill('SIGTERM'); // it should never get here
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });

describe('npm start on a read-only data folder', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rotation-readonly-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('says the folder cannot be written and exits, with no stack trace', async () => {
    const { code, stderr } = await startOnReadOnly(dataDir);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `The data folder ${dataDir} cannot be used: it is on a read-only file system. Refusing to start: make it writable by this user, or set DATA_DIR to another folder.`,
    );
  });
});
