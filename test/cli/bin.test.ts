import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEngine } from '../../src/local/engine';
import { withEmbeddedDynamo } from '../support/dynamo';
import { fixtureOn, playScriptedNight } from '../projections/support';

const BIN = resolve(__dirname, '../../bin/rotation.js');
const dynamo = withEmbeddedDynamo();

/** `npx rotation …` as a user runs it: a separate node process through the bin shim. */
const rotation = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

describe('the rotation bin', () => {
  it('runs the TypeScript CLI through tsx: an audit against a DynamoDB endpoint', async () => {
    await playScriptedNight(fixtureOn(dynamo).service, 'from-bin');
    const { code, stdout, stderr } = await rotation(['audit', 'from-bin', '--seq', '7', '--endpoint', dynamo.endpoint]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain("#7  20:06:00  kj-ann (kj)   called AMY for 'amy one'");
    expect(stdout).toContain('Times in UTC.');
  });

  it('tells the user to stop npm start when the engine holds the data folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rotation-cli-locked-'));
    const engine = await startEngine({ dataDir, port: 0 });
    try {
      const { code, stdout, stderr } = await rotation(['rebuild', '--data-dir', dataDir]);
      expect(code).toBe(3);
      expect(stdout).toBe('');
      expect(stderr).toContain(`The engine is running on ${dataDir} (process ${process.pid})`);
      expect(stderr).toContain('Stop npm start first');
      expect(stderr).toContain('GET /rotations/<id>/events');
    } finally {
      await engine.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('does not create a data folder that is not there', async () => {
    const missing = join(tmpdir(), `rotation-cli-missing-${process.pid}`);
    const { code, stderr } = await rotation(['list'], { DATA_DIR: missing });
    expect(code).toBe(3);
    expect(stderr).toContain(`There is no data folder at ${missing}`);
  });

  it('does not make a store in a folder that holds none (an empty one, or /etc by mistake)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'rotation-cli-empty-'));
    const other = mkdtempSync(join(tmpdir(), 'rotation-cli-other-'));
    writeFileSync(join(other, 'notes.txt'), 'not a data folder');
    try {
      for (const [dir, before] of [[empty, []], [other, ['notes.txt']]] as const) {
        for (const command of ['list', 'rebuild']) {
          const { code, stderr } = await rotation([command, '--data-dir', dir]);
          expect([command, code]).toEqual([command, 3]);
          expect(stderr).toContain(`There is no data folder at ${dir} (that folder holds no store of this engine)`);
        }
        expect(readdirSync(dir)).toEqual(before);
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });
});
