/**
 * `npm run bench:api`: the local server under concurrent clients on several rotations, each figure next to
 * the floor measured in the same run on the same server: `GET /health` (no sign-in, no store) at the same
 * number of connections. Phases:
 *   reads  — GET queue at READ_CONNECTIONS (200): goal ≥ 0.5× the floor's requests/s, p99 ≤ 3× the floor's
 *   mix    — 75% GET queue / 25% appends (away/back) at BENCH_CONNECTIONS (32): goal p99 < 100 ms
 * BENCH_SECONDS (per phase), BENCH_CONNECTIONS, READ_CONNECTIONS and BENCH_ROTATIONS override the defaults.
 */
import '../src/local/polyfills';
import autocannon, { type Request } from 'autocannon';
import { createDynamoEventStore } from '../src/eventstore/dynamoEventStore';
import { startEngine } from '../src/local/engine';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const readConnections = Number(process.env.READ_CONNECTIONS ?? 200);
const rotationCount = Number(process.env.BENCH_ROTATIONS ?? 8);
const singersPerRotation = 10;

interface Figures {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly line: string;
}

const main = async () => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const engine = await startEngine({ port: 0, printAlert: () => {} });
  const kj = engine.tokens.issue({ sub: 'bench-kj', name: 'Bench KJ', role: 'kj' });
  const headers = { authorization: `Bearer ${kj}`, 'content-type': 'application/json' };
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${engine.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, string>>;
  };

  const rotations: string[] = [];
  for (let r = 0; r < rotationCount; r++) {
    const { rotationId } = await post('/rotations', { venue: `Bench Bar ${r}`, settings: { autoAdvance: false } });
    for (let s = 0; s < singersPerRotation; s++) {
      await post(`/rotations/${rotationId}/singers`, { singerId: `s${s}`, displayName: `Singer ${s}`, song: { title: `Song ${s}`, artist: 'Bench' } });
    }
    rotations.push(rotationId!);
  }

  const run = async (label: string, conns: number, setupRequest: (request: Request) => Request): Promise<Figures> => {
    const result = await autocannon({ url: engine.url, connections: conns, duration: seconds, requests: [{ setupRequest }] });
    const l = result.latency as unknown as Record<string, number>;
    const rps = result.requests.average;
    return {
      rps,
      p50: l.p50!,
      p99: l.p99!,
      line:
        `  ${label.padEnd(34)} ${rps.toFixed(0).padStart(6)} req/s  p50 ${String(l.p50).padStart(4)} ms  p99 ${String(l.p99).padStart(5)} ms` +
        `  (2xx ${result['2xx']}, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts})`,
    };
  };
  const health = (request: Request): Request => ({ ...request, method: 'GET', path: '/health' });
  let counter = 0;
  const queueRead = (request: Request): Request => {
    counter += 1;
    return { ...request, method: 'GET', path: `/rotations/${rotations[counter % rotations.length]}/queue`, headers };
  };
  // A quarter are writes that append (away, then back, per singer).
  const awayNext = new Map<string, boolean>();
  const mix = (request: Request): Request => {
    counter += 1;
    if (counter % 4 !== 0) return { ...request, method: 'GET', path: `/rotations/${rotations[counter % rotations.length]}/queue`, headers };
    // Writes go round every rotation too (picking by `counter` would send them all to rotations 0 and 4).
    const write = counter / 4;
    const rotationId = rotations[write % rotations.length]!;
    const singer = `s${Math.floor(write / rotations.length) % singersPerRotation}`;
    const key = `${rotationId}/${singer}`;
    const away = awayNext.get(key) ?? true;
    awayNext.set(key, !away);
    return { ...request, method: 'POST', path: `/rotations/${rotationId}/singers/${singer}/${away ? 'away' : 'back'}`, headers };
  };

  console.log(`bench:api — ${rotationCount} rotations × ${singersPerRotation} singers, ${seconds} s per phase`);
  const readFloor = await run(`floor: GET /health × ${readConnections}`, readConnections, health);
  console.log(readFloor.line);
  const reads = await run(`GET queue × ${readConnections}`, readConnections, queueRead);
  console.log(reads.line);
  console.log(
    `    ratio to the floor: throughput ${(reads.rps / readFloor.rps).toFixed(2)}× (goal ≥ 0.5), p99 ${(reads.p99 / Math.max(1, readFloor.p99)).toFixed(2)}× (goal ≤ 3)`,
  );
  const mixFloor = await run(`floor: GET /health × ${connections}`, connections, health);
  console.log(mixFloor.line);
  const mixed = await run(`75% GET queue / 25% away|back × ${connections}`, connections, mix);
  console.log(mixed.line);
  console.log(
    `    p99 ${mixed.p99} ms (goal < 100 ms); ratio to the floor: throughput ${(mixed.rps / mixFloor.rps).toFixed(2)}×, p99 ${(mixed.p99 / Math.max(1, mixFloor.p99)).toFixed(2)}×`,
  );

  let commits = 0;
  const eventTable = createDynamoEventStore({ client: engine.dynamo.client, tableName: engine.dynamo.tableNames.events });
  for await (const _commit of eventTable.readAll()) commits += 1;
  await engine.stop();
  console.log(`  commits in the event table after the run: ${commits}`);
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
