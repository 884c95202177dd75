import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run';
import { DataFolderError } from '../../src/local/dataFolder';
import { SECRET_FILE } from '../../src/local/devTokens';
import { startEngine, type Engine } from '../../src/local/engine';
import { PASSPHRASE_FILE } from '../../src/local/kjPassphrase';
import { requestJson } from '../support/api';

/** The venue review's odd data folders: foreign folders, links, weak or hand-edited secrets and passphrases. */
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rotation-edges-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const refusal = async (dataDir: string): Promise<string> => {
  const error = await startEngine({ dataDir, port: 0 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DataFolderError);
  return (error as Error).message;
};

const cli = async (args: string[]) => {
  const out: string[] = [];
  const code = await runCli(args, { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => out.push(t) }, env: {} });
  return { code, text: out.join('') };
};

const signInKj = (engine: Engine, passphrase: string) => requestJson(engine.url, 'POST', '/auth/kj', { body: { name: 'Kim', passphrase } });

describe('DATA_DIR', () => {
  it('refuses an existing folder of other files, and changes nothing in it', async () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'bin'), { mode: 0o755 });
    writeFileSync(join(dataDir, 'README'), 'hi', { mode: 0o644 });
    writeFileSync(join(dataDir, 'package.json'), '{}', { mode: 0o644 });
    const before = readdirSync(dataDir).map((name) => [name, statSync(join(dataDir, name)).mode & 0o777]);
    const mode = statSync(dataDir).mode & 0o777;

    const message = await refusal(dataDir);
    expect(message).toContain('is not a data folder of this engine');
    expect(message).toContain('README');
    expect(message).toContain('nothing was changed');
    expect(readdirSync(dataDir).map((name) => [name, statSync(join(dataDir, name)).mode & 0o777])).toEqual(before);
    expect(statSync(dataDir).mode & 0o777).toBe(mode);
    // `rotation passphrase` does not take it either.
    expect((await cli(['passphrase', '--data-dir', dataDir])).code).not.toBe(0);
    expect(readdirSync(dataDir).sort()).toEqual(['README', 'bin', 'package.json']);
  });

  it('refuses a file, or a path inside one, in words, and changes nothing', async () => {
    const file = join(tempDir(), 'notes.txt');
    writeFileSync(file, 'hi');
    chmodSync(file, 0o644); // whatever umask an engine of an earlier test left
    for (const dataDir of [file, join(file, 'data')]) {
      expect(await refusal(dataDir)).toBe(
        `The data folder ${dataDir} cannot be used: it is a file, or inside one, not a folder. Refusing to start: make it writable by this user, or set DATA_DIR to another folder.`,
      );
    }
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });

  it('takes an existing empty folder', async () => {
    const engine = await startEngine({ dataDir: tempDir(), port: 0 });
    await engine.stop();
  });
});

describe('the token secret and passphrase files', () => {
  it.each([SECRET_FILE, PASSPHRASE_FILE])('refuses %s as a symbolic link (to a readable file, or /dev/zero) without hanging', async (name) => {
    for (const target of ['readable', '/dev/zero']) {
      const dataDir = tempDir();
      const outside = join(tempDir(), 'readable');
      writeFileSync(outside, name === SECRET_FILE ? `${'5a'.repeat(16)}${'c3'.repeat(16)}\n` : 'K7QM-4XPT-9HRW-Z3CE\n', { mode: 0o644 });
      symlinkSync(target === 'readable' ? outside : target, join(dataDir, name));
      expect(await refusal(dataDir)).toContain('is a symbolic link');
    }
  });

  it.each([SECRET_FILE, PASSPHRASE_FILE])('refuses %s when it is not a regular file', async (name) => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, name));
    expect(await refusal(dataDir)).toContain('is not a regular file');
  });

  it.each([
    ['all zeros', '00'.repeat(32), 'is one byte (0x00) repeated'],
    ['one byte repeated', 'ab'.repeat(32), 'is one byte (0xab) repeated'],
    ['a stray letter', `${'5a'.repeat(31)}zz`, 'is not hex (it has "z" at character 63)'],
  ])('refuses a secret that is %s, saying so', async (_case, content, why) => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, SECRET_FILE), `${content}\n`);
    expect(await refusal(dataDir)).toContain(why);
  });

  it('takes a secret with spaces and newlines around it (an editor added them)', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, SECRET_FILE), ` ${'5a'.repeat(16)}${'c3'.repeat(16)}  \n\n`);
    const engine = await startEngine({ dataDir, port: 0 });
    try {
      expect((await requestJson(engine.url, 'POST', '/auth/guest', { body: { name: 'Amy' } })).status).toBe(200);
    } finally {
      await engine.stop();
    }
  });
});

describe('changing the passphrase while the engine runs', () => {
  it('answers 503 saying what to do when the file is removed or broken, and takes the CLI fix without a restart', async () => {
    const dataDir = tempDir();
    const engine = await startEngine({ dataDir, port: 0 });
    try {
      const made = engine.passphrase.current();
      for (const broken of [() => rmSync(join(dataDir, PASSPHRASE_FILE)), () => writeFileSync(join(dataDir, PASSPHRASE_FILE), 'x\n')]) {
        broken();
        const answer = await signInKj(engine, made);
        expect(answer.status).toBe(503);
        expect(answer.body.error).toEqual({ code: 'unavailable', message: expect.stringContaining('npx rotation passphrase') });
        const devKj = await requestJson(engine.url, 'POST', '/dev/token', { body: { sub: 'kj', name: 'Kim', role: 'kj' } });
        expect(devKj.status).toBe(503);
      }
      const { code, text } = await cli(['passphrase', '--data-dir', dataDir]);
      expect(code).toBe(0);
      const changed = /New KJ passphrase: (\S+)/.exec(text)![1]!;
      expect((await signInKj(engine, changed)).status).toBe(200);
    } finally {
      await engine.stop();
    }
  });

  it('signs out every KJ of the old passphrase, and no singer', async () => {
    const dataDir = tempDir();
    const engine = await startEngine({ dataDir, port: 0 });
    try {
      const kj = (await signInKj(engine, engine.passphrase.current())).body.token as string;
      const scriptKj = (await requestJson(engine.url, 'POST', '/dev/token', { body: { sub: 'kj', name: 'Script', role: 'kj' } })).body.token as string;
      const amy = (await requestJson(engine.url, 'POST', '/auth/guest', { body: { name: 'Amy' } })).body as { token: string; singerId: string };
      const opened = await requestJson(engine.url, 'POST', '/rotations', { token: kj, body: { venue: 'Leaky Bar' } });
      expect(opened.status).toBe(201);
      const rotationId = opened.body.rotationId as string;
      expect((await requestJson(engine.url, 'GET', `/rotations/${rotationId}/queue`, { token: scriptKj })).status).toBe(200);

      const { text } = await cli(['passphrase', '--data-dir', dataDir]);
      const changed = /New KJ passphrase: (\S+)/.exec(text)![1]!;
      for (const old of [kj, scriptKj]) {
        const refused = await requestJson(engine.url, 'POST', `/rotations/${rotationId}/turns`, { token: old });
        expect(refused.status).toBe(401);
      }
      // The singer keeps their token and their place; the same phone signing in again stays the same singer.
      const joined = await requestJson(engine.url, 'POST', `/rotations/${rotationId}/singers`, { token: amy.token, body: { displayName: 'Amy', song: { title: 'One', artist: 'A' } } });
      expect(joined.status).toBe(201);
      expect((await requestJson(engine.url, 'POST', '/auth/guest', { token: amy.token, body: { name: 'Amy' } })).body.singerId).toBe(amy.singerId);
      // The KJ signs in with the new one and carries on with the same rotation.
      const again = (await signInKj(engine, changed)).body.token as string;
      expect((await requestJson(engine.url, 'GET', `/rotations/${rotationId}/queue`, { token: again })).status).toBe(200);
    } finally {
      await engine.stop();
    }
  });

  it.each(['aaaaaaaaaaaa', 'abababababab', 'aaaa-bbbb-cccc', 'AbCaBcAbCaBc'])('`rotation passphrase --set %s` is refused as too easy', async (weak) => {
    const dataDir = tempDir();
    const { code, text } = await cli(['passphrase', '--set', weak, '--data-dir', dataDir]);
    expect(code).toBe(2);
    expect(text).toContain('at least 6 different letters or digits');
    expect((await cli(['passphrase', '--set', 'karaoke night 7', '--data-dir', dataDir])).code).toBe(0);
  });
});
