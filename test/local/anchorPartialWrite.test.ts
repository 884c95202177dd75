/**
 * Review R: anchorLog.ts now treats an unfinished last line as "an append that never finished, never acknowledged",
 * drops it on read and cuts it off before the next append. But fs.writeSync does not loop: when the disk fills
 * part-way through the line (ENOSPC, or a file size limit), write(2) returns the bytes it did write and writeSync
 * returns that short count without an error. record() then fsyncs and returns: the close is acknowledged with
 * a torn anchor, which the next read leaves out and the next close cuts off. The anchor of an acknowledged close
 * is gone, and `rotation audit --verify` reports that rotation BROKEN ("no anchor, though closed").
 *
 * Real OS failure, no mocks: record() runs in a child whose RLIMIT_FSIZE (util-linux prlimit) lets the log grow by
 * only part of the new line.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createAnchorLog } from '../../src/local/anchorLog';

const ROOT = resolve(__dirname, '../..');
const hash = (c: string) => c.repeat(64);

describe('an anchor appended while the disk fills part-way through its line', () => {
  it('is either refused or kept: never acknowledged and then lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchor-short-'));
    try {
      const file = join(dir, 'anchors.jsonl');
      writeFileSync(file, `${JSON.stringify({ streamId: 'rotation#old', version: 3, hash: hash('a'), anchoredAt: '2026-12-02T20:00:00.000Z' })}\n`);
      const limit = statSync(file).size + 30;
      const anchor = { streamId: 'rotation#new', version: 7, hash: hash('b'), anchoredAt: '2026-12-02T21:00:00.000Z' };
      const code = `
        const { createAnchorLog } = require(${JSON.stringify(join(ROOT, 'src/local/anchorLog.ts'))});
        createAnchorLog(process.env.DIR).record(${JSON.stringify(anchor)}).then(
          () => process.stdout.write('acknowledged'),
          (err) => process.stdout.write('refused: ' + err.message),
        );
      `;
      const outcome = execFileSync('prlimit', [`--fsize=${limit}`, '--', process.execPath, '--import', 'tsx', '-e', code], {
        cwd: ROOT,
        env: { ...process.env, DIR: dir },
      }).toString();

      const kept = await createAnchorLog(dir).list('rotation#new');
      expect({ outcome, kept }).toEqual(outcome.startsWith('refused') ? { outcome, kept: [] } : { outcome: 'acknowledged', kept: [anchor] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
