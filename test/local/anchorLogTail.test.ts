import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { streamIdFor } from '../../src/eventstore/tables';
import { anchorLogPath, createAnchorLog } from '../../src/local/anchorLog';
import { startEngine } from '../../src/local/engine';
import { requestJson } from '../support/api';
import { cliOn, tempDirs } from '../hostile/support/engine';

/**
 * A full disk or a power cut in the middle of appending an anchor leaves an unfinished last line in
 * anchors.jsonl. That append was never acknowledged; it must not turn every later close into a 500 (the close
 * committed, the KJ told it failed, and no night anchored again) nor fail every audit.
 */
const tempDir = tempDirs();

describe('the anchor log after an unfinished append', () => {
  it('leaves the unfinished line out: later closes answer 200 and are anchored, and the audit verifies', async () => {
    const dataDir = tempDir('anchor-tail-');
    const engine = await startEngine({ dataDir, port: 0, webDir: tempDir() });
    const closed: string[] = [];
    try {
      const kj = engine.tokens.issue({ sub: 'kj-ann', name: 'Ann', role: 'kj' });
      const night = async () => {
        const opened = await requestJson(engine.url, 'POST', '/rotations', { token: kj, body: { venue: 'Torn Bar', settings: { autoAdvance: false } } });
        const close = await requestJson(engine.url, 'POST', `/rotations/${opened.body.rotationId}/close`, { token: kj });
        expect(close.status).toBe(200);
        closed.push(opened.body.rotationId as string);
      };
      await night();
      appendFileSync(anchorLogPath(dataDir), '{"streamId":"rotation#'); // cut off mid-line
      await night();
      await night();
    } finally {
      await engine.stop();
    }
    const anchors = createAnchorLog(dataDir);
    for (const rotationId of closed) expect(await anchors.list(streamIdFor(rotationId))).toHaveLength(1);
    const verified = await cliOn(dataDir, ['audit', closed[1]!, '--verify']);
    expect([verified.code, verified.stderr]).toEqual([0, '']);
  });

  it('still calls a bad line before the last one damage', async () => {
    const dataDir = tempDir('anchor-damaged-');
    const good = JSON.stringify({ streamId: 'rotation#a', version: 2, hash: 'a'.repeat(64), anchoredAt: '2026-12-01T23:00:00.000Z' });
    writeFileSync(anchorLogPath(dataDir), `${good}\nnot an anchor\n${good}\n`);
    await expect(createAnchorLog(dataDir).list('rotation#a')).rejects.toThrow('line 2 is not an anchor; the anchor log was damaged');
    expect(readFileSync(anchorLogPath(dataDir), 'utf8').split('\n')).toHaveLength(4);
  });
});
