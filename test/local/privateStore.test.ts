import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDynamoContactStore } from '../../src/notifiers/contacts';
import { startEmbeddedDynamo } from '../../src/local/embeddedDynamo';
import { startEngine } from '../../src/local/engine';
import { requestJson } from '../support/api';

/**
 * Issue 13 "The data folder is private": no other process can reach the embedded store. A probe process looks
 * for every port this process listens on and asks each for the contacts table; against the old loopback-port
 * store it reads the phone numbers (the control), against the engine's in-process store it finds nothing to ask.
 */
const PROBE = resolve(__dirname, 'support', 'storeProbe.ts');
const REPO = resolve(__dirname, '..', '..');
const PHONE = '+15557654321';

const probe = (dataDir: string) =>
  new Promise<{ ports: number[]; scans: Record<string, { items?: unknown[]; error?: string }>; folder: string }>((done, fail) => {
    execFile(process.execPath, ['--require', 'tsx/cjs', PROBE, String(process.pid), dataDir], { cwd: REPO, timeout: 60_000 }, (err, stdout, stderr) =>
      err ? fail(new Error(`${err.message}\n${stderr}`)) : done(JSON.parse(stdout.trim().split('\n').pop()!)),
    );
  });

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rotation-store-'));
  dirs.push(dir);
  return dir;
};

describe('the embedded store', () => {
  it('control: a store on a loopback port gives another process the contacts', async () => {
    const dataDir = tempDir();
    const dynamo = await startEmbeddedDynamo({ dataDir, transport: 'tcp' });
    try {
      await createDynamoContactStore({ client: dynamo.client, tableName: dynamo.tableNames.contacts }).put({
        singerId: 'amy',
        phone: PHONE,
        channels: ['sms'],
        updatedAt: '2026-12-02T20:00:00.000Z',
      });
      const seen = await probe(dataDir);
      expect(JSON.stringify(seen.scans)).toContain(PHONE);
    } finally {
      await dynamo.close();
    }
  });

  it('the engine’s store has no port: another process finds only the API, which gives it no contacts, nor CORS', async () => {
    const dataDir = tempDir();
    const engine = await startEngine({ dataDir, port: 0 });
    try {
      const amy = await requestJson(engine.url, 'POST', '/auth/guest', { body: { name: 'Amy' } });
      const saved = await requestJson(engine.url, 'PUT', `/singers/${amy.body.singerId}/contact`, { token: amy.body.token, body: { phone: PHONE, channels: ['sms'] } });
      expect(saved.status).toBe(200);

      const seen = await probe(dataDir);
      // Other tests' servers in this worker may still be closing: whatever listens, none of it is a store.
      expect(seen.ports).toContain(engine.port);
      expect(JSON.stringify(seen)).not.toContain(PHONE);
      for (const port of seen.ports) expect([port, seen.scans[port]]).toEqual([port, { error: expect.any(String) }]);
      expect(engine.dynamo.endpoint).not.toMatch(/127\.0\.0\.1|localhost/);
      expect(seen.folder).toBe('StoreLockedError'); // nor by opening the data folder itself while the engine runs

      // A web page elsewhere gets no CORS grant from the engine: browsers keep its answers from that page.
      const preflight = await fetch(`${engine.url}/singers/${amy.body.singerId}/contact`, {
        method: 'OPTIONS',
        headers: { origin: 'http://evil.example', 'access-control-request-method': 'PUT' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await engine.stop();
    }
  });
});
