/**
 * `npm run bench:api`: the local server under concurrent clients on several rotations.
 * Prints requests/s and latency percentiles for a read-heavy mix (queue views) with real appends (away/back).
 * BENCH_SECONDS, BENCH_CONNECTIONS and BENCH_ROTATIONS override the defaults.
 */
import '../src/local/polyfills';
import autocannon from 'autocannon';
import { createDynamoEventStore } from '../src/eventstore/dynamoEventStore';
import { startEngine } from '../src/local/engine';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const rotationCount = Number(process.env.BENCH_ROTATIONS ?? 8);
const singersPerRotation = 10;

const main = async () => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const engine = await startEngine({ port: 0 });
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

  // Each request picks a rotation and singer; a quarter are writes that append (away, then back, per singer).
  let counter = 0;
  const awayNext = new Map<string, boolean>();
  const result = await autocannon({
    url: engine.url,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          counter += 1;
          const rotationId = rotations[counter % rotations.length]!;
          if (counter % 4 !== 0) return { ...request, method: 'GET', path: `/rotations/${rotationId}/queue`, headers };
          const singer = `s${Math.floor(counter / 4) % singersPerRotation}`;
          const key = `${rotationId}/${singer}`;
          const away = awayNext.get(key) ?? true;
          awayNext.set(key, !away);
          return { ...request, method: 'POST', path: `/rotations/${rotationId}/singers/${singer}/${away ? 'away' : 'back'}`, headers };
        },
      },
    ],
  });

  let commits = 0;
  const eventTable = createDynamoEventStore({ client: engine.dynamo.client, tableName: engine.dynamo.tableNames.events });
  for await (const _commit of eventTable.readAll()) commits += 1;
  await engine.stop();

  const l = result.latency as unknown as Record<string, number>;
  console.log(`bench:api — ${connections} connections, ${rotationCount} rotations × ${singersPerRotation} singers, ${seconds} s, 75% GET queue / 25% away|back`);
  console.log(`  requests/s   ${result.requests.average.toFixed(0)} (total ${result.requests.total}, 2xx ${result['2xx']}, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts})`);
  console.log(`  latency ms   p50 ${l.p50}  p90 ${l.p90}  p99 ${l.p99}  max ${l.max}`);
  console.log(`  commits in the event table after the run: ${commits}`);
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
