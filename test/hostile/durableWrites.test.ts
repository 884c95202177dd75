import { startEngine } from '../../src/local/engine';
import { startEmbeddedDynamo } from '../../src/local/embeddedDynamo';
import { requestJson } from '../support/api';
import { tempDirs } from './support/engine';

/**
 * A power cut must not lose what the API acknowledged: every LevelDB write under an acknowledged command is
 * synced to disk (`sync: true`) before dynalite answers. Watched where the options reach the native binding.
 */
const { ClassicLevel } = require(require.resolve('classic-level', { paths: [require.resolve('level')] })) as {
  ClassicLevel: { prototype: Record<'_put' | '_del' | '_batch', (...args: unknown[]) => Promise<unknown>> };
};

const recordWrites = () => {
  const seen: { op: string; sync: boolean }[] = [];
  const originals = { _put: ClassicLevel.prototype._put, _del: ClassicLevel.prototype._del, _batch: ClassicLevel.prototype._batch };
  ClassicLevel.prototype._put = function (key, value, options) {
    seen.push({ op: 'put', sync: (options as { sync?: boolean })?.sync === true });
    return originals._put.call(this, key, value, options);
  };
  ClassicLevel.prototype._del = function (key, options) {
    seen.push({ op: 'del', sync: (options as { sync?: boolean })?.sync === true });
    return originals._del.call(this, key, options);
  };
  ClassicLevel.prototype._batch = function (operations, options) {
    seen.push({ op: 'batch', sync: (options as { sync?: boolean })?.sync === true });
    return originals._batch.call(this, operations, options);
  };
  return { seen, restore: () => Object.assign(ClassicLevel.prototype, originals) };
};

describe('durable appends on one machine', () => {
  const tempDir = tempDirs();

  it('syncs every write the engine makes before acknowledging a command', async () => {
    const writes = recordWrites();
    const engine = await startEngine({ dataDir: tempDir(), port: 0, webDir: tempDir() });
    try {
      const kj = engine.tokens.issue({ sub: 'kj-ann', name: 'Ann', role: 'kj' });
      const before = writes.seen.length;
      const opened = await requestJson(engine.url, 'POST', '/rotations', { token: kj, body: { venue: 'Bar' }, headers: { 'Idempotency-Key': 'open-1' } });
      expect(opened.status).toBe(201);
      const during = writes.seen.slice(before);
      expect(during.length).toBeGreaterThan(0); // the event, the read model, the idempotency record
      expect(during.filter((w) => !w.sync)).toEqual([]);
    } finally {
      await engine.stop();
      writes.restore();
    }
  });

  it('can be turned off (the bench measures both), and a durable store leaves other stores as they were', async () => {
    const writes = recordWrites();
    try {
      const fast = await startEmbeddedDynamo({ dataDir: tempDir(), durable: false }); // creates its tables: writes
      await fast.close();
      expect(writes.seen.length).toBeGreaterThan(0);
      expect(writes.seen.filter((w) => w.sync)).toEqual([]);
    } finally {
      writes.restore();
    }
  });
});
