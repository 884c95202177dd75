import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { QueueView } from '../../src/aggregates/rotation';
import type { QueueViewReader } from '../../src/projections/readModels';
import { createLiveTickets } from '../../src/local/liveTickets';
import { addLiveUpdates, type LiveUpdatesOptions } from '../../src/local/liveUpdates';
import type { RotationChangeListener, RotationChanges } from '../../src/local/rotationChanges';
import { isQueue, readSse, viewOf, type SseReader } from './support/sse';

/** The SSE route against fakes: timing, clean-up and a read model that trails the commits. */
const ROTATION = 'night-1';

const viewAt = (version: number): QueueView => ({
  rotationId: ROTATION, venue: 'Bar', status: 'open', version, current: null, upcoming: [], singers: [],
});

const fakeChanges = () => {
  const listeners = new Set<RotationChangeListener>();
  const changes: RotationChanges = {
    watch: (_rotationId, listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { changes, commit: (version: number) => listeners.forEach((l) => l(version)), watchers: () => listeners.size };
};

const setup = (reader: QueueViewReader, options: Partial<LiveUpdatesOptions> = {}) => {
  const app = new Hono();
  const tickets = createLiveTickets(randomBytes(32));
  const feed = fakeChanges();
  const live = addLiveUpdates(app, { changes: feed.changes, queue: reader, tickets, now: () => new Date().toISOString(), ...options });
  const { ticket } = tickets.issue(ROTATION);
  const connect = async () => {
    const response = await app.request(`/rotations/${ROTATION}/live?ticket=${encodeURIComponent(ticket)}`);
    return { response, events: response.ok ? readSse(response.body!) : (undefined as unknown as SseReader) };
  };
  return { live, feed, connect };
};

const eventually = async (check: () => boolean, timeoutMs = 2_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('live updates', () => {
  it('pings at once and then on a quiet stream, saying how often, so a page can tell a quiet stream from a dead one', async () => {
    const { connect, live } = setup({ read: async () => viewAt(1) }, { heartbeatMs: 30 });
    const { events } = await connect();
    const isPing = (f: { event?: string }) => f.event === 'ping';
    expect(await events.next(isPing, 1_000)).toEqual({ event: 'ping', data: JSON.stringify({ everyMs: 30 }) });
    await events.next(isQueue);
    expect(await events.next(isPing, 1_000)).toEqual({ event: 'ping', data: JSON.stringify({ everyMs: 30 }) });
    expect(events.frames.slice(0, 2)).toEqual([{ retry: expect.any(Number) }, { event: 'ping', data: expect.any(String) }]); // before any view
    live.close();
  });

  it('stops watching the rotation when the browser goes away', async () => {
    const { connect, live, feed } = setup({ read: async () => viewAt(1) });
    const a = await connect();
    const b = await connect();
    await a.events.next(isQueue);
    expect([live.openConnections(), feed.watchers()]).toEqual([2, 1]);
    await a.events.cancel();
    await eventually(() => live.openConnections() === 1);
    expect(feed.watchers()).toBe(1);
    await b.events.cancel();
    await eventually(() => live.openConnections() === 0);
    expect(feed.watchers()).toBe(0);
  });

  it('waits for a read model that trails the commit, then pushes the new view', async () => {
    let reads = 0;
    // The projection shows version 2 only from the fourth read after the commit.
    const { connect, feed, live } = setup({ read: async () => viewAt(++reads >= 5 ? 2 : 1) });
    const { events } = await connect();
    expect(viewOf(await events.next(isQueue)).version).toBe(1);
    feed.commit(2);
    expect(viewOf(await events.next(isQueue)).version).toBe(2);
    expect(reads).toBe(5);
    live.close();
  });

  it('turns a burst of commits into few reads, and never sends a version twice or backwards', async () => {
    let version = 1;
    let reads = 0;
    const slowReader: QueueViewReader = {
      read: async () => {
        reads += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return viewAt(version);
      },
    };
    const { connect, feed, live } = setup(slowReader);
    const { events } = await connect();
    await events.next(isQueue);
    const readsBefore = reads;
    for (version = 2; version <= 6; version++) feed.commit(version);
    version = 6;
    await eventually(() => events.frames.some((f) => isQueue(f) && viewOf(f).version === 6));
    const versions = events.frames.filter(isQueue).map((f) => viewOf(f).version);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    expect(new Set(versions).size).toBe(versions.length);
    expect(reads - readsBefore).toBeLessThan(5);
    live.close();
  });

  it('answers 404 for a rotation the reader does not know, and ends streams on close', async () => {
    const { connect: connectMissing } = setup({ read: async () => null });
    const missing = await connectMissing();
    expect(missing.response.status).toBe(404);

    const { connect, live } = setup({ read: async () => viewAt(1) });
    const { events } = await connect();
    await events.next(isQueue);
    live.close();
    await expect(events.next(isQueue, 1_000)).rejects.toThrow(/ended/);
    expect((await connect()).response.status).toBe(503);
  });

  it('refuses connections past the limit with 429 and Retry-After, and frees the slot when a stream ends', async () => {
    const { connect, live } = setup({ read: async () => viewAt(1) }, { limits: { total: 1 } });
    const first = await connect();
    expect(first.response.status).toBe(200);
    const refused = await connect();
    expect([refused.response.status, ((await refused.response.json()) as { error: { code: string } }).error.code]).toEqual([429, 'too-many-requests']);
    expect(refused.response.headers.get('retry-after')).toBe('2');
    await first.events.cancel();
    await eventually(() => live.openConnections() === 0);
    expect((await connect()).response.status).toBe(200);
    live.close();
  });
});
