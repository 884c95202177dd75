import { request as httpRequest } from 'node:http';
import { startTestApi } from '../support/api';

/**
 * The venue review's attacks from the KJ's own laptop: a local proxy or tunnel makes every client look like
 * loopback, a web page open in the KJ's browser can post text/plain anywhere without a CORS preflight, and a
 * DNS-rebinding page reaches 127.0.0.1 under its own name.
 */
const api = startTestApi();

/** node:http, because fetch decides the Host header itself. */
const withHost = (path: string, host: string, method = 'GET', body?: string) =>
  new Promise<{ status: number; body: any }>((resolve, reject) => {
    const url = new URL(`${api.url}${path}`);
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method, headers: { host, ...(body ? { 'content-type': 'application/json' } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const devToken = { sub: 'mallory', name: 'Mallory', role: 'kj' };

describe('/dev/* through a proxy or under another name', () => {
  it.each([
    ['forwarded', 'for=192.0.2.60'],
    ['x-forwarded-for', '192.0.2.60'],
    ['x-forwarded-host', 'karaoke.example'],
    ['x-real-ip', '192.0.2.60'],
    ['via', '1.1 tunnel'],
  ])('refuses a loopback request carrying %s (a proxy on this machine), with a message saying so', async (header, value) => {
    const token = await api.request('POST', '/dev/token', { body: devToken, headers: { [header]: value } });
    expect(token.status).toBe(403);
    expect(token.body.error).toEqual({ code: 'forbidden', message: expect.stringContaining('proxy or tunnel') });
    expect((await api.request('GET', '/dev/outbox', { headers: { [header]: value } })).status).toBe(403);
  });

  it('refuses a Host that is not this machine (DNS rebinding), and answers localhost and 127.0.0.1', async () => {
    const port = new URL(api.url).port;
    for (const host of [`evil.example:${port}`, 'evil.example', `192.0.2.2:${port}`, `localhost.evil.example:${port}`]) {
      const refused = await withHost('/dev/outbox', host);
      expect([host, refused.status, refused.body.error.code]).toEqual([host, 403, 'forbidden']);
      expect(refused.body.error.message).toContain('Host');
      expect((await withHost('/dev/token', host, 'POST', JSON.stringify(devToken))).status).toBe(403);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, 'LOCALHOST', `127.0.0.1`]) {
      expect([host, (await withHost('/dev/outbox', host)).status]).toEqual([host, 200]);
    }
    expect((await withHost('/dev/token', `localhost:${port}`, 'POST', JSON.stringify(devToken))).status).toBe(200);
  });
});

describe('sign-in takes JSON only', () => {
  const post = (path: string, contentType: string | undefined, body: string) =>
    fetch(`${api.url}${path}`, { method: 'POST', headers: contentType ? { 'content-type': contentType } : {}, body });

  it.each(['/auth/kj', '/auth/guest', '/dev/token'])('%s answers 415 to a body that is not declared JSON', async (path) => {
    const body = JSON.stringify({ name: 'x', passphrase: 'nope' });
    for (const contentType of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
      const answer = await post(path, contentType, body);
      expect([contentType, answer.status]).toEqual([contentType, 415]);
      expect(await answer.json()).toEqual({ error: { code: 'unsupported-media-type', message: 'Send the body as JSON (Content-Type: application/json).' } });
    }
    expect((await post(path, 'Application/JSON; charset=utf-8', '{}')).status).toBe(400); // declared JSON: read, then checked
  });

  it("a page's text/plain posts do not lock the KJ out", async () => {
    for (let i = 0; i < 10; i++) {
      expect((await post('/auth/kj', 'text/plain', JSON.stringify({ name: 'x', passphrase: 'nope' }))).status).toBe(415);
    }
    const signedIn = await api.request('POST', '/auth/kj', { body: { name: 'Kim', passphrase: api.engine.passphrase.current() } });
    expect(signedIn.status).toBe(200);
  });
});
