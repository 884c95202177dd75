import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type Engine } from '../../src/local/engine';
import { requestJson } from '../support/api';
import { StoreLockedError } from '../../src/eventstore/errors';

const call = (engine: Engine, method: string, path: string, token: string, body?: unknown) => requestJson(engine.url, method, path, { token, body });

describe('npm start on a data folder', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rotation-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a restart loses nothing: the night, the queue and issued tokens survive', async () => {
    const first = await startEngine({ dataDir, port: 0 });
    const kj = first.tokens.issue({ sub: 'kj-ann', name: 'Ann', role: 'kj' });
    const opened = await call(first, 'POST', '/rotations', kj, { venue: 'Restart Room', settings: { autoAdvance: false } });
    const r = `/rotations/${opened.body.rotationId}`;
    await call(first, 'POST', `${r}/singers`, kj, { singerId: 'amy', displayName: 'Amy', song: { title: 'Jolene', artist: 'Dolly Parton' } });
    const before = await call(first, 'GET', `${r}/queue`, kj);
    await first.stop();

    const second = await startEngine({ dataDir, port: 0 });
    try {
      const after = await call(second, 'GET', `${r}/queue`, kj);
      expect({ status: after.status, body: after.body }).toEqual({ status: before.status, body: before.body });
      expect((await call(second, 'POST', `${r}/turns`, kj)).status).toBe(201);
      expect((await call(second, 'GET', `${r}/events`, kj)).body.events.map((e: { type: string }) => e.type)).toEqual(['RotationOpened', 'SingerJoined', 'TurnCalled']);
    } finally {
      await second.stop();
    }
  });

  it('a second engine on the same folder is refused with a clear error, and the first keeps working', async () => {
    const first = await startEngine({ dataDir, port: 0 });
    try {
      const second = startEngine({ dataDir, port: 0 });
      await expect(second).rejects.toBeInstanceOf(StoreLockedError);
      await expect(second).rejects.toThrow(/already using|DATA_DIR|in use/i);
      const kj = first.tokens.issue({ sub: 'kj-ann', name: 'Ann', role: 'kj' });
      expect((await call(first, 'POST', '/rotations', kj, { venue: 'Still Here' })).status).toBe(201);
    } finally {
      await first.stop();
    }
  });
});
