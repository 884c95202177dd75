import { startEngine } from '../../src/local/engine';
import { song, startTestApi } from '../support/api';
import { isQueue, readSse, viewOf, type SseReader } from './support/sse';

const api = startTestApi();

/** The live feed over real HTTP: tickets, who may open it, and what it pushes. */
describe('GET /rotations/{id}/live', () => {
  const kj = () => api.token('kj-live', 'kj');
  const open: SseReader[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((reader) => reader.cancel()));
  });

  const openRotation = async () => {
    const opened = await api.request('POST', '/rotations', { token: kj(), body: { venue: 'Live Bar', settings: { autoAdvance: false } } });
    expect(opened.status).toBe(201);
    return opened.body.rotationId as string;
  };
  const ticketFor = async (rotationId: string, token = kj()) => {
    const minted = await api.request('POST', `/rotations/${rotationId}/live-tickets`, { token });
    expect(minted.status).toBe(201);
    return minted.body as { ticket: string; expiresAt: string; url: string };
  };
  const connect = async (path: string) => {
    const response = await fetch(`${api.url}${path}`, { headers: { accept: 'text/event-stream' } });
    if (response.ok) open.push(readSse(response.body!));
    return { response, events: open[open.length - 1]! };
  };

  it('mints tickets for anyone who may read the queue, in the API error shape otherwise', async () => {
    const rotationId = await openRotation();
    const singerTicket = await ticketFor(rotationId, api.token('amy', 'singer'));
    expect(singerTicket.url).toBe(`/rotations/${rotationId}/live?ticket=${encodeURIComponent(singerTicket.ticket)}`);
    expect(Date.parse(singerTicket.expiresAt)).toBeGreaterThan(Date.now() + 11 * 3600_000);

    expect((await api.request('POST', `/rotations/${rotationId}/live-tickets`)).body).toMatchObject({ error: { code: 'unauthorized' } });
    const missing = await api.request('POST', '/rotations/no-such-night/live-tickets', { token: kj() });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not-found']);
    const withBody = await api.request('POST', `/rotations/${rotationId}/live-tickets`, { token: kj(), body: { rid: 'x' } });
    expect(withBody.status).toBe(400);
  });

  it('refuses a missing, forged, foreign or bearer-token ticket, and unknown parameters', async () => {
    const rotationId = await openRotation();
    const other = await openRotation();
    const { ticket } = await ticketFor(rotationId);
    const status = async (query: string) => {
      const { response } = await connect(`/rotations/${rotationId}/live${query}`);
      return [response.status, ((await response.json()) as { error: { code: string } }).error.code];
    };
    expect(await status('')).toEqual([401, 'unauthorized']);
    // One character of the signature changed (not its last, whose low bits a decoder may ignore).
    const at = ticket.length - 5;
    const forged = `${ticket.slice(0, at)}${ticket[at] === 'A' ? 'B' : 'A'}${ticket.slice(at + 1)}`;
    expect(await status(`?ticket=${encodeURIComponent(forged)}`)).toEqual([401, 'unauthorized']);
    // A sign-in token is not a ticket (and a ticket is not a sign-in token: see below).
    expect(await status(`?ticket=${kj()}`)).toEqual([401, 'unauthorized']);
    expect(await status(`?ticket=${encodeURIComponent((await ticketFor(other)).ticket)}`)).toEqual([403, 'forbidden']);
    expect(await status(`?ticket=${encodeURIComponent(ticket)}&access_token=x`)).toEqual([400, 'invalid-request']);
    expect((await api.request('GET', `/rotations/${rotationId}/queue`, { token: ticket })).status).toBe(401);
  });

  it('sends the current view on connect, then a fresh view after every commit, to every watcher', async () => {
    const rotationId = await openRotation();
    const { url } = await ticketFor(rotationId);
    const first = await connect(url);
    expect(first.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(first.response.headers.get('cache-control')).toMatch(/no-cache/);
    expect(await first.events.next((f) => f.retry !== undefined)).toEqual({ retry: 2000 });
    const initial = await first.events.next(isQueue);
    expect(viewOf(initial)).toMatchObject({ rotationId, version: 1, singers: [] });
    expect(initial.id).toBe('1');
    const second = await connect(url);
    await second.events.next(isQueue);

    const amy = api.token('amy', 'singer');
    await api.request('POST', `/rotations/${rotationId}/singers`, { token: amy, body: { displayName: 'Amy', song: song('one') } });
    for (const watcher of [first, second]) {
      const pushed = viewOf(await watcher.events.next(isQueue));
      expect(pushed.version).toBe(2);
      expect(pushed.singers.map((s) => s.singerId)).toEqual(['amy']);
    }

    const call = await api.request('POST', `/rotations/${rotationId}/turns`, { token: kj() });
    expect(viewOf(await first.events.next(isQueue)).current?.singerId).toBe('amy');
    expect(call.status).toBe(201);
  });

  it('never pushes another rotation’s changes', async () => {
    const watched = await openRotation();
    const other = await openRotation();
    const { events } = await connect((await ticketFor(watched)).url);
    await events.next(isQueue);
    await api.request('POST', `/rotations/${other}/singers`, { token: api.token('bo', 'singer'), body: { displayName: 'Bo', song: song('two') } });
    await api.engine.feed.drain();
    await api.request('POST', `/rotations/${watched}/singers`, { token: api.token('cy', 'singer'), body: { displayName: 'Cy', song: song('three') } });
    const next = viewOf(await events.next(isQueue));
    expect([next.version, next.singers.map((s) => s.singerId)]).toEqual([2, ['cy']]);
  });
});

describe('stopping the engine', () => {
  it('ends open streams instead of waiting for the browsers to leave', async () => {
    const engine = await startEngine({ port: 0 });
    const kj = engine.tokens.issue({ sub: 'kj-stop', name: 'Kim', role: 'kj' });
    const post = (path: string) => fetch(`${engine.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${kj}`, 'content-type': 'application/json' }, body: path === '/rotations' ? JSON.stringify({ venue: 'Closing' }) : undefined });
    const { rotationId } = (await (await post('/rotations')).json()) as { rotationId: string };
    const { url } = (await (await post(`/rotations/${rotationId}/live-tickets`)).json()) as { url: string };
    const events = readSse((await fetch(`${engine.url}${url}`)).body!);
    await events.next(isQueue);
    const started = Date.now();
    await engine.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(events.next(isQueue, 1_000)).rejects.toThrow(/ended/);
  });
});
