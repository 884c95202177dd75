/**
 * The phones of `npm run bench:rush`, run in a worker thread (bench/rush.ts): real phones are other machines,
 * so their HTTP client work (undici's fetch, its streams) must not be counted as the server's. RUSH_SINGERS join
 * at once, each then queues 2 songs at once, while RUSH_READERS read the queue every RUSH_READ_EVERY_MS.
 */
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
  readonly accepted: number;
  readonly total: number;
  readonly other: readonly number[];
}

const rush = async ({ url, rotationId, kjToken, singerTokens, readers, readEveryMs }: PhonesInput): Promise<PhonesResult> => {
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await response.arrayBuffer();
    return response.status;
  };
  const r = `/rotations/${rotationId}`;
  const statuses: number[] = [];
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
      const joined = await call('POST', `${r}/singers`, token, { displayName: id, song: { title: `${id} 1`, artist: 'Rush' } });
      statuses.push(joined);
      if (joined !== 201) return;
      statuses.push(
        ...(await Promise.all([2, 3].map((n) => call('POST', `${r}/singers/${id}/songs`, token, { title: `${id} ${n}`, artist: 'Rush' })))),
      );
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  reading = false;
  await Promise.all(reading$);
  const ok = reads.filter((ms) => ms >= 0).sort((a, b) => a - b);
  const readP99 = ok[Math.floor(ok.length * 0.99)] ?? 0;
  return {
    seconds,
    reads: reads.length,
    readErrors: reads.length - ok.length,
    readP99,
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
