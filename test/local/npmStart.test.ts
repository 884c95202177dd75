import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lanAddress, publicUrlFor } from '../../src/local/publicUrl';

/**
 * What `npm start` prints for a night at a venue (README "Run a night at a venue"): the passphrase, the address
 * phones use and a QR code of it, when HOST is not loopback. Run in a network namespace of its own, on the
 * venue address 10.9.0.1, so nothing outside it can reach the engine.
 */
const REPO = resolve(__dirname, '..', '..');
const VENUE = '10.9.0.1';

const startAndStop = (env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const script = `ip link set lo up && ip addr add ${VENUE}/24 dev lo && exec "$@"`;
    const child = spawn('unshare', ['-rn', 'sh', '-c', script, 'sh', process.execPath, '--require', 'tsx/cjs', 'src/local/main.ts'], {
      cwd: REPO,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Press Ctrl-C to stop.')) child.kill('SIGTERM'); // it is up: stop it as Ctrl-C would
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });

describe('npm start at a venue', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rotation-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the passphrase, the address phones open, and a QR code of it', async () => {
    const { code, stdout, stderr } = await startAndStop({ HOST: VENUE, PORT: '3000', DATA_DIR: dataDir, PUBLIC_URL: '' });
    expect([code, stderr]).toEqual([0, expect.any(String)]);
    expect(stdout).toMatch(/KJ passphrase: ([2-9A-HJKMNP-Z]{4}-){3}[2-9A-HJKMNP-Z]{4}/);
    expect(stdout).toContain(`KJ console:   http://${VENUE}:3000/kj.html`);
    expect(stdout).toContain(`open http://${VENUE}:3000/singer.html (scan below)`);
    expect(stdout).toMatch(/[▀▄█]{7}/); // the QR code's finder pattern, in half blocks
    expect(stdout).toContain('Stopped cleanly');
  });

  it('says PUBLIC_URL wins, a wildcard HOST means the LAN address, and loopback means this machine only', () => {
    expect(publicUrlFor({ host: '0.0.0.0', port: 3000, publicUrl: 'http://karaoke.lan:3000/' })).toBe('http://karaoke.lan:3000');
    expect(publicUrlFor({ host: '127.0.0.1', port: 3000 })).toBe('http://127.0.0.1:3000');
    expect(publicUrlFor({ host: '192.168.1.20', port: 3000 })).toBe('http://192.168.1.20:3000');
    type Interfaces = NonNullable<Parameters<typeof lanAddress>[0]>;
    const lo = [{ address: '127.0.0.1', family: 'IPv4', internal: true }];
    const interfaces = {
      lo,
      docker0: [{ address: '172.17.0.1', family: 'IPv4', internal: false }],
      wlan0: [{ address: '192.168.1.20', family: 'IPv4', internal: false }],
    } as unknown as Interfaces;
    expect(lanAddress(interfaces)).toBe('192.168.1.20'); // the Wi-Fi, not Docker's bridge
    expect(lanAddress({ lo } as unknown as Interfaces)).toBeUndefined();
  });
});
