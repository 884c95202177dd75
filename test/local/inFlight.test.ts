import { request as httpRequest, type ClientRequest } from 'node:http';
import { createInFlightRequests } from '../../src/local/inFlight';
import { startEngine } from '../../src/local/engine';

describe('in-flight requests', () => {
  it('settled waits for tracked work, and gives up after its timeout', async () => {
    const inFlight = createInFlightRequests();
    let finish!: () => void;
    const work = inFlight.track(new Promise<void>((resolve) => (finish = resolve)));
    let settled = false;
    const waiting = inFlight.settled(5_000).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    finish();
    await work;
    await waiting;
    expect(settled).toBe(true);

    const stuck = createInFlightRequests();
    void stuck.track(new Promise(() => {}));
    const started = Date.now();
    await stuck.settled(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('a stop right after a client hangs up mid-command waits for that command to finish', async () => {
    const engine = await startEngine({ port: 0, printAlert: () => {} });
    const kj = engine.tokens.issue({ sub: 'kj-stop', name: 'KJ', role: 'kj' });
    const headers = { authorization: `Bearer ${kj}`, 'content-type': 'application/json' };
    const opened = await fetch(`${engine.url}/rotations`, { method: 'POST', headers, body: JSON.stringify({ venue: 'Closing Time', settings: { autoAdvance: false } }) });
    const { rotationId } = (await opened.json()) as { rotationId: string };
    // The first join's command hangs up its client (the socket is destroyed, as a load tester's are), then
    // takes 300 ms more: stop() must wait for it.
    const sockets: ClientRequest[] = [];
    const controller = { abort: () => sockets.forEach((s) => s.destroy()) };
    let projecting = 0;
    let slowCommandFinished = false;
    engine.feed.subscribe({
      name: 'slow-after-hang-up',
      awaited: true,
      consumer: async () => {
        projecting += 1;
        if (projecting > 1) return;
        controller.abort();
        await new Promise((resolve) => setTimeout(resolve, 300));
        slowCommandFinished = true;
      },
    });
    const joins = Array.from(
      { length: 10 },
      (_, i) =>
        new Promise<void>((resolve) => {
          const body = JSON.stringify({ singerId: `s${i}`, displayName: `Singer ${i}`, song: { title: 'Song', artist: 'Artist' } });
          const request = httpRequest(`${engine.url}/rotations/${rotationId}/singers`, { method: 'POST', headers, agent: false }, () => resolve());
          request.on('error', () => resolve());
          request.on('close', () => resolve());
          sockets.push(request);
          request.end(body);
        }),
    );
    await Promise.all(joins);
    await engine.stop();
    expect(slowCommandFinished).toBe(true);
    expect(engine.feed.failures()).toEqual([]);
  });
});
