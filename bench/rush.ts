/**
 * `npm run bench:rush`: the start of a night (issue 11). RUSH_SINGERS (100) join one rotation at once over
 * HTTP, then each queues 2 songs at once. Prints commands/s next to the floor measured in the same run on the
 * same embedded store: the raw conditional PutItem rate (one writer appending versions 1, 2, 3 … of a stream,
 * as the one writer per rotation does), with no HTTP, no decision and no projection. The phones are HTTP clients in a
 * worker thread (bench/rushPhones.ts).
 */
import '../src/local/polyfills';
import { randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { startEngine, type Engine } from '../src/local/engine';
import type { PhonesInput, PhonesResult } from './rushPhones';

const singers = Number(process.env.RUSH_SINGERS ?? 100);
const rounds = Number(process.env.RUSH_ROUNDS ?? 3);
/** Phones keeping the queue open meanwhile, each reading again READ_EVERY_MS after its last answer. */
const readers = Number(process.env.RUSH_READERS ?? 50);
const readEveryMs = Number(process.env.RUSH_READ_EVERY_MS ?? 100);

/**
 * The phones run in a worker thread: real phones are other machines, and the floor below has no client at all,
 * so the server's thread does only the server's work (on one core of two, as a venue's laptop would).
 */
const rush = async (engine: Engine): Promise<PhonesResult> => {
  const kj = engine.tokens.issue({ sub: 'rush-kj', name: 'Rush KJ', role: 'kj' });
  const opened = await fetch(`${engine.url}/rotations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${kj}`, 'content-type': 'application/json' },
    body: JSON.stringify({ venue: 'Rush Bench', settings: { autoAdvance: false, maxSingers: 500 } }),
  });
  const { rotationId } = (await opened.json()) as { rotationId: string };
  const input: PhonesInput = {
    url: engine.url,
    rotationId,
    kjToken: kj,
    singerTokens: Array.from({ length: singers }, (_, i) => engine.tokens.issue({ sub: `rush-${i}`, name: `rush-${i}`, role: 'singer' })),
    readers,
    readEveryMs,
  };
  // tsx's loader is not inherited by workers: the worker registers it before loading the TypeScript file.
  const script = `require('tsx/cjs'); require(${JSON.stringify(join(__dirname, 'rushPhones.ts'))});`;
  const phones = new Worker(script, { eval: true, workerData: input });
  try {
    return await new Promise<PhonesResult>((resolve, reject) => {
      phones.once('message', resolve);
      phones.once('error', reject);
      phones.once('exit', (code) => reject(new Error(`the phones' worker exited (${code}) before answering`)));
    });
  } finally {
    await phones.terminate();
  }
};

/** One writer appending a stream's versions in order with a conditional PutItem each, on the same store. */
const rawPutRate = async (engine: Engine, count: number) => {
  const { client, tableNames } = engine.dynamo;
  const streamId = `rotation#raw-${randomUUID()}`;
  const started = performance.now();
  for (let version = 1; version <= count; version++) {
    await client.send(
      new PutItemCommand({
        TableName: tableNames.events,
        Item: {
          streamId: { S: streamId },
          version: { N: String(version) },
          commandId: { S: randomUUID() },
          at: { S: new Date().toISOString() },
          events: { L: [{ M: { seq: { N: String(version) }, type: { S: 'SongQueued' }, data: { M: { title: { S: 'x'.repeat(40) } } } } }] },
        },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': 'streamId' },
      }),
    );
  }
  return count / ((performance.now() - started) / 1000);
};

const main = async () => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const engine = await startEngine({ port: 0, printAlert: () => {} });
  try {
    await rawPutRate(engine, 100); // warm-up
    console.log(
      `bench:rush — ${singers} joins at once, then 2 songs each at once, one rotation, ${rounds} rounds; ` +
        `${readers} readers each reading the queue every ${readEveryMs} ms`,
    );
    for (let round = 1; round <= rounds; round++) {
      const floor = await rawPutRate(engine, 3 * singers);
      const result = await rush(engine);
      const rate = result.accepted / result.seconds;
      console.log(
        `  round ${round}: ${result.accepted}/${result.total} accepted in ${result.seconds.toFixed(2)} s = ${rate.toFixed(0)} commands/s; ` +
          `raw conditional PutItem ${floor.toFixed(0)}/s; ratio ${(rate / floor).toFixed(2)} (goal ≥ 0.5); ` +
          `meanwhile ${result.reads} queue reads (p99 ${result.readP99.toFixed(0)} ms, ${result.readErrors} not 200)` +
          (result.other.length ? `; other answers ${JSON.stringify(result.other.slice(0, 10))}` : ''),
      );
    }
  } finally {
    await engine.stop();
  }
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
