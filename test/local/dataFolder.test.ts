import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run';
import { DataFolderError, modeOf } from '../../src/local/dataFolder';
import { SECRET_FILE } from '../../src/local/devTokens';
import { startEngine } from '../../src/local/engine';
import { PASSPHRASE_FILE } from '../../src/local/kjPassphrase';
import { requestJson } from '../support/api';

/** Issue 13 "The data folder is private": modes, a secret that is exactly 32 bytes, atomic writes. */
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rotation-private-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Every path under `dir` with its permission bits. */
const modesUnder = (dir: string): Record<string, number> => {
  const found: Record<string, number> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    found[path.slice(dir.length + 1)] = statSync(path).mode & 0o777;
  }
  return found;
};

describe('the data folder', () => {
  it('is 0700 with every file 0600, from the first start on, even when it existed world-readable', async () => {
    const dataDir = join(tempDir(), 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    // A data folder of an older engine, world-readable (a folder that is not an engine's is refused: dataFolderEdges).
    writeFileSync(join(dataDir, SECRET_FILE), `${'5a'.repeat(16)}${'c3'.repeat(16)}\n`, { mode: 0o644 });
    writeFileSync(join(dataDir, 'notes.txt'), 'left here', { mode: 0o644 });
    const engine = await startEngine({ dataDir, port: 0 });
    try {
      const kj = await requestJson(engine.url, 'POST', '/auth/kj', { body: { name: 'Kim', passphrase: engine.passphrase.current() } });
      const amy = await requestJson(engine.url, 'POST', '/auth/guest', { body: { name: 'Amy' } });
      await requestJson(engine.url, 'PUT', `/singers/${amy.body.singerId}/contact`, { token: amy.body.token, body: { phone: '+15551234567', channels: ['sms'] } });
      const opened = await requestJson(engine.url, 'POST', '/rotations', { token: kj.body.token, body: { venue: 'Private Bar' } });
      await requestJson(engine.url, 'POST', `/rotations/${opened.body.rotationId}/close`, { token: kj.body.token });
    } finally {
      await engine.stop();
    }
    expect(modeOf(dataDir)).toBe(0o700);
    const modes = modesUnder(dataDir);
    expect(Object.keys(modes)).toEqual(expect.arrayContaining([SECRET_FILE, PASSPHRASE_FILE, 'anchors.jsonl', 'notes.txt']));
    expect(Object.keys(modes).some((p) => /\.(ldb|log)$|^MANIFEST/.test(p))).toBe(true); // LevelDB's own files
    const loose = Object.entries(modes).filter(([path, mode]) => mode !== (statSync(join(dataDir, path)).isDirectory() ? 0o700 : 0o600));
    expect(loose).toEqual([]);
    expect(Object.keys(modes).filter((p) => p.endsWith('.tmp'))).toEqual([]); // atomic writes leave no temp files
  });

  it.each([
    ['empty', '', 'is empty'],
    ['short', 'ab'.repeat(16), 'holds 16 bytes'],
    ['not hex', 'zz'.repeat(32), 'is not hex'],
    ['too long', 'ab'.repeat(33), 'holds 33 bytes'],
  ])('refuses to start when the token secret is %s', async (_case, content, why) => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, SECRET_FILE), content);
    const error = await startEngine({ dataDir, port: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFolderError);
    expect((error as Error).message).toContain(why);
    expect((error as Error).message).toContain('exactly 32 bytes');
    expect((error as Error).message).toContain('Delete the file');
    // Refused cleanly: the folder is free for the next start once the secret is fixed.
    rmSync(join(dataDir, SECRET_FILE));
    const engine = await startEngine({ dataDir, port: 0 });
    await engine.stop();
    expect(readFileSync(join(dataDir, SECRET_FILE), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
  });

  it('keeps the passphrase across restarts; `rotation passphrase` changes it for the running engine', async () => {
    const dataDir = tempDir();
    const first = await startEngine({ dataDir, port: 0 });
    const made = first.passphrase.current();
    expect(made).toMatch(/^([2-9A-HJKMNP-Z]{4}-){3}[2-9A-HJKMNP-Z]{4}$/);
    await first.stop();
    const engine = await startEngine({ dataDir, port: 0 });
    try {
      expect(engine.passphrase.current()).toBe(made);
      const out: string[] = [];
      const code = await runCli(['passphrase', '--data-dir', dataDir], { stdout: { write: (t: string) => out.push(t) }, stderr: { write: () => true }, env: {} });
      expect(code).toBe(0);
      const changed = /New KJ passphrase: (\S+)/.exec(out.join(''))![1]!;
      expect(changed).not.toBe(made);
      expect(modeOf(join(dataDir, PASSPHRASE_FILE))).toBe(0o600);
      const signIn = (passphrase: string) => requestJson(engine.url, 'POST', '/auth/kj', { body: { name: 'Kim', passphrase } });
      expect((await signIn(made)).status).toBe(401);
      expect((await signIn(changed)).status).toBe(200);
      const tooShort = await runCli(['passphrase', '--set', 'abc', '--data-dir', dataDir], { stdout: { write: () => true }, stderr: { write: () => true }, env: {} });
      expect(tooShort).toBe(2);
    } finally {
      await engine.stop();
    }
  });
});
