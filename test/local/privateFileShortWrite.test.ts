/**
 * Review R: writePrivateFile (the KJ passphrase, the token secret) writes with one fs.writeSync, which on a disk
 * filling up part-way returns a short count instead of an error; the truncated temp file is then renamed over the
 * old one. Real OS failure: the write runs in a child whose RLIMIT_FSIZE (util-linux prlimit) admits only part.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

it('a private file the disk takes only part of is refused, and the old one stays whole', () => {
  const dir = mkdtempSync(join(tmpdir(), 'private-short-'));
  try {
    writeFileSync(join(dir, 'kj-passphrase'), 'the old, whole content');
    const code = `
      const { writePrivateFile } = require(${JSON.stringify(join(ROOT, 'src/local/dataFolder.ts'))});
      try { writePrivateFile(process.env.DIR, 'kj-passphrase', 'n'.repeat(200)); process.stdout.write('written'); }
      catch (err) { process.stdout.write('refused: ' + err.code); }
    `;
    const outcome = execFileSync('prlimit', ['--fsize=50', '--', process.execPath, '--import', 'tsx', '-e', code], { cwd: ROOT, env: { ...process.env, DIR: dir } }).toString();
    const now = readFileSync(join(dir, 'kj-passphrase'), 'utf8');
    expect({ outcome, now }).toEqual({ outcome: 'refused: EFBIG', now: 'the old, whole content' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
