import { connect as tcpConnect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startTestApi } from '../support/api';
import { isQueue, readSse, viewOf } from '../web/support/sse';

/**
 * Live updates under attack: one singer's ticket must not take every stream slot, and browsers that stop
 * reading must not make the server hold a backlog of queue views for them.
 */
jest.setTimeout(240_000);
const api = startTestApi();

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAndBuffers = () => {
  gc();
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
};

const kj = () => api.token('kj-ann', 'kj');
const openRotation = async () => (await api.request('POST', '/rotations', { token: kj(), body: { venue: 'Flood Bar', settings: { autoAdvance: false } } })).body.rotationId as string;
const ticketFor = async (rotationId: string, token: string) => {
  const response = await api.request('POST', `/rotations/${rotationId}/live-tickets`, { token });
  expect(response.status).toBe(201);
  return response.body.url as string;
};

describe('live stream flood', () => {
  it('one client opening 2,000 streams on one ticket leaves another singer’s stream working', async () => {
    const rotationId = await openRotation();
    const mallory = api.token('mallory', 'singer');
    await api.request('POST', `/rotations/${rotationId}/singers`, { token: mallory, body: { displayName: 'Mallory', song: { title: 'Noise', artist: 'M' } } });
    const url = `${api.url}${await ticketFor(rotationId, mallory)}`;

    // The responses themselves are held: undici cancels the body of a Response that is garbage-collected.
    const held: Response[] = [];
    const statuses = new Map<number, number>();
    const open = async () => {
      const response = await fetch(url);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status === 200) held.push(response);
      else {
        if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        await response.arrayBuffer();
      }
    };
    for (let i = 0; i < 2_000; i += 100) await Promise.all(Array.from({ length: 100 }, open));
    expect(statuses.get(429)).toBeGreaterThan(1_900);
    expect(held.length).toBe(4); // the per-ticket limit

    // Bo, another singer, still gets his live queue, and it updates.
    const bo = api.token('bo', 'singer');
    await api.request('POST', `/rotations/${rotationId}/singers`, { token: bo, body: { displayName: 'Bo', song: { title: 'Hurt', artist: 'JC' } } });
    const response = await fetch(`${api.url}${await ticketFor(rotationId, bo)}`);
    expect(response.status).toBe(200);
    const events = readSse(response.body!);
    const first = viewOf(await events.next(isQueue));
    await api.request('POST', `/rotations/${rotationId}/singers/bo/songs`, { token: bo, body: { title: 'One', artist: 'U2' } });
    const next = viewOf(await events.next((f) => isQueue(f) && viewOf(f).version > first.version));
    expect(next.version).toBe(first.version + 1);
    await events.cancel();
    await Promise.all(held.map((r) => r.body!.cancel().catch(() => {})));
  });

  it('20 streams that stop reading keep server memory growth under 20 MB over 200 commits', async () => {
    const rotationId = await openRotation();
    // A big night: long names and titles make every queue view large (about 70 KB).
    for (let i = 0; i < 100; i++) {
      const joined = await api.request('POST', `/rotations/${rotationId}/singers`, {
        token: kj(),
        body: { singerId: `s${i}`, displayName: `Singer ${i} `.padEnd(60, 'n'), song: { title: `Title ${i} `.padEnd(200, 't'), artist: `Artist ${i} `.padEnd(200, 'a') } },
      });
      expect(joined.status).toBe(201);
    }
    const view = await api.request('GET', `/rotations/${rotationId}/queue`, { token: kj() });
    expect(JSON.stringify(view.body).length).toBeGreaterThan(50_000);

    // 20 browsers that read the response head and then never read again (each its own ticket, as pages have).
    const { port } = new URL(api.url);
    const sockets: Socket[] = [];
    for (let i = 0; i < 20; i++) {
      const path = await ticketFor(rotationId, api.token(`viewer-${i}`, 'singer'));
      const socket = tcpConnect(Number(port), '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
      await new Promise<void>((resolve) => socket.once('data', (chunk: Buffer) => (expect(chunk.toString('latin1')).toMatch(/^HTTP\/1\.1 200/), resolve())));
      socket.pause();
      sockets.push(socket);
    }
    const before = heapAndBuffers();
    for (let i = 0; i < 200; i++) {
      const moved = await api.request('POST', `/rotations/${rotationId}/singers/s${i % 2}/move`, { token: kj(), body: { position: 50 + (i % 7) } });
      expect(moved.status).toBe(200);
    }
    await api.engine.feed.drain();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const growth = heapAndBuffers() - before;
    sockets.forEach((s) => s.destroy());
    expect(growth).toBeLessThan(20 * 1024 * 1024);
  });
});
