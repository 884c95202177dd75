/**
 * The phones of `npm run bench:rush`, run in a worker thread (bench/rush.ts): real phones are other machines,
 * so their HTTP client work must not be counted as the server's. RUSH_SINGERS join
 * at once, each then queues 2 songs at once, while RUSH_READERS read the queue every RUSH_READ_EVERY_MS.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface PhonesInput {
  readonly url: string;
  readonly rotationId: string;
  readonly kjToken: string;
  /** One token per singer, in order; singer i is `rush-<i>`. */
  readonly singerTokens: readonly string[];
  readonly readers: number;
  readonly readEveryMs: number;
}

export interface PhonesResult {
  readonly seconds: number;
  readonly reads: number;
  readonly readErrors: number;
  readonly readP99: number;
  /** How long a phone waited for a command's answer (ms), median and 99th percentile. */
  readonly commandP50: number;
  readonly commandP99: number;
  readonly accepted: number;
  readonly total: number;
  readonly other: readonly number[];
}

const rush = async ({ url, rotationId, kjToken, singerTokens, readers, readEveryMs }: PhonesInput): Promise<PhonesResult> => {
  // node:http, not fetch: undici's fetch costs the phones' thread so much per request that a server answering
  // without doing anything gets only ~1,300 commands/s from it here, under what the goal asks of the engine.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const { hostname, port } = new URL(url);
  const call = (method: string, path: string, token: string, body?: unknown) =>
    new Promise<number>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      if (payload !== undefined) headers['content-length'] = Buffer.byteLength(payload);
      const request = http.request({ hostname, port, path, method, agent, headers }, (response) => {
        response.resume(); // the body is read to the end (and dropped), as a phone would read it
        response.once('end', () => resolve(response.statusCode!));
        response.once('error', reject);
      });
      request.once('error', reject);
      request.end(payload);
    });
  const r = `/rotations/${rotationId}`;
  const statuses: number[] = [];
  const waits: number[] = [];
  const command = async (path: string, token: string, body: unknown) => {
    const t = performance.now();
    const status = await call('POST', path, token, body);
    waits.push(performance.now() - t);
    return status;
  };
  let reading = true;
  const reads: number[] = [];
  const reading$ = Array.from({ length: readers }, async () => {
    while (reading) {
      const t = performance.now();
      const status = await call('GET', `${r}/queue`, kjToken);
      reads.push(status === 200 ? performance.now() - t : -status);
      await new Promise((resolve) => setTimeout(resolve, readEveryMs));
    }
  });
  const started = performance.now();
  await Promise.all(
    singerTokens.map(async (token, i) => {
      const id = `rush-${i}`;
      const joined = await command(`${r}/singers`, token, { displayName: id, song: { title: `${id} 1`, artist: 'Rush' } });
      statuses.push(joined);
      if (joined !== 201) return;
      statuses.push(
        ...(await Promise.all([2, 3].map((n) => command(`${r}/singers/${id}/songs`, token, { title: `${id} ${n}`, artist: 'Rush' })))),
      );
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  reading = false;
  await Promise.all(reading$);
  agent.destroy();
  const ok = reads.filter((ms) => ms >= 0).sort((a, b) => a - b);
  const percentile = (sorted: number[], p: number) => sorted[Math.floor(sorted.length * p)] ?? 0;
  waits.sort((a, b) => a - b);
  return {
    seconds,
    reads: reads.length,
    readErrors: reads.length - ok.length,
    readP99: percentile(ok, 0.99),
    commandP50: percentile(waits, 0.5),
    commandP99: percentile(waits, 0.99),
    accepted: statuses.filter((s) => s === 201).length,
    total: statuses.length,
    other: statuses.filter((s) => s !== 201),
  };
};

if (parentPort) {
  rush(workerData as PhonesInput).then(
    (result) => parentPort!.postMessage(result),
    (err) => {
      throw err;
    },
  );
}
