import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Issue 13, "Done when": the server on a non-loopback address, called from that address, inside a network
 * namespace this test makes itself (`unshare -rn`: a new user and network namespace, no privileges needed on
 * the host, nothing reachable from outside). The venue address is put on the namespace's own `lo`, so the
 * probe's requests really arrive from 10.9.0.1, not from 127.0.0.1.
 */
const VENUE_ADDRESS = '10.9.0.1';
const REPO = resolve(__dirname, '..', '..');
const PROBE = resolve(__dirname, 'support', 'venueProbe.ts');

const runInNamespace = () =>
  new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    const script = `ip link set lo up && ip addr add ${VENUE_ADDRESS}/24 dev lo && exec "$@"`;
    execFile(
      'unshare',
      ['-rn', 'sh', '-c', script, 'sh', process.execPath, '--require', 'tsx/cjs', PROBE, VENUE_ADDRESS],
      { cwd: REPO, env: { ...process.env, HOST: '', PUBLIC_URL: '' }, timeout: 90_000 },
      (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

describe('the engine on the venue network', () => {
  it('refuses /dev/* to a phone, makes every guest id itself, and lets no guest act for another singer', async () => {
    const { code, stdout, stderr } = await runInNamespace();
    expect([code, stderr]).toEqual([0, expect.any(String)]);
    const seen = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(seen.url).toMatch(new RegExp(`^http://${VENUE_ADDRESS.replace(/\./g, '\\.')}:\\d+$`));
    expect(seen.publicUrl).toBe(seen.url); // bound to one address: phones open that one
    expect(seen.devToken).toBe(403);
    expect(seen.outbox).toBe(403);
    expect(seen.chosenId).toBe(400);
    expect(seen.kj).toBe(200);
    expect(seen.amy.status).toBe(200);
    expect(seen.amy.singerId).toMatch(/^singer-/);
    expect(seen.amyJoins).toEqual({ status: 201, singerId: seen.amy.singerId });
    expect(seen.boSkipsAmy).toBe(403);
    expect(seen.boRemovesAmy).toBe(403);
    expect(seen.boSetsAmysContact).toBe(403);
    expect(seen.boAddsAmy).toBe(400); // a singer's join body has no singerId: it is always their own
    expect(seen.config).toEqual({ mode: 'local', signIn: 'local', live: 'sse', publicUrl: seen.url });
  });
});
