/**
 * `npm run bench:rush`: the start of a night (issue 11). RUSH_SINGERS (100) join one rotation at once over
 * HTTP, then each queues 2 songs at once. Prints commands/s next to the floor measured in the same run on the
 * same embedded store: the raw conditional PutItem rate (one writer appending versions 1, 2, 3 … of a stream,
 * as the one writer per rotation does), with no HTTP, no decision and no projection. The phones are HTTP clients in a
 * worker thread (bench/rushPhones.ts). Also prints the HTTP ceiling: the same phones against a server on the same
 * stack (Hono on @hono/node-server) that parses each command and answers it without an engine, so a reader sees
 * how much of the time is HTTP's own.
 */
import '../src/local/polyfills';
import { randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { startEngine, type Engine } from '../src/local/engine';
import type { PhonesInput, PhonesResult } from './rushPhones';

const singers = Number(process.env.RUSH_SINGERS ?? 100);
const rounds = Number(process.env.RUSH_ROUNDS ?? 3);
/** Phones keeping the queue open meanwhile, each reading again READ_EVERY_MS after its last answer. */
const readers = Number(process.env.RUSH_READERS ?? 50);
const readEveryMs = Number(process.env.RUSH_READ_EVERY_MS ?? 100);

const openRotation = async (engine: Engine): Promise<PhonesInput> => {
  const kj = engine.tokens.issue({ sub: 'rush-kj', name: 'Rush KJ', role: 'kj' });
  const opened = await fetch(`${engine.url}/rotations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${kj}`, 'content-type': 'application/json' },
    body: JSON.stringify({ venue: 'Rush Bench', settings: { autoAdvance: false, maxSingers: 500 } }),
  });
  const { rotationId } = (await opened.json()) as { rotationId: string };
  return {
    url: engine.url,
    rotationId,
    kjToken: kj,
    singerTokens: Array.from({ length: singers }, (_, i) => engine.tokens.issue({ sub: `rush-${i}`, name: `rush-${i}`, role: 'singer' })),
    readers,
    readEveryMs,
  };
};

/**
 * The phones run in a worker thread: real phones are other machines, and the floor below has no client at all,
 * so the server's thread does only the server's work (on one core of two, as a venue's laptop would).
 */
const runPhones = async (input: PhonesInput): Promise<PhonesResult> => {
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

/**
 * The same phones against a server that does only HTTP's part: route, parse the JSON body, answer 201; a queue read
 * answers the body the engine's queue read gave after the rush (same bytes). Nothing is decided or stored.
 */
const httpCeiling = async (input: PhonesInput, queueBody: string): Promise<PhonesResult> => {
  const app = new Hono();
  app.post('/rotations/:rotationId/singers', async (c) => c.json({ singerId: 'ceiling', accepted: await c.req.json() }, 201));
  app.post('/rotations/:rotationId/singers/:singerId/songs', async (c) => c.json({ songId: 'ceiling', accepted: await c.req.json() }, 201));
  app.get('/rotations/:rotationId/queue', (c) => c.body(queueBody, 200, { 'content-type': 'application/json' }));
  const server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  try {
    const { port } = server.address() as AddressInfo;
    return await runPhones({ ...input, url: `http://127.0.0.1:${port}` });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
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
      const input = await openRotation(engine);
      const result = await runPhones(input);
      const rate = result.accepted / result.seconds;
      const queue = await fetch(`${engine.url}/rotations/${input.rotationId}/queue`, { headers: { authorization: `Bearer ${input.kjToken}` } });
      const ceiling = await httpCeiling(input, await queue.text());
      const ceilingRate = ceiling.accepted / ceiling.seconds;
      console.log(
        `  round ${round}: ${result.accepted}/${result.total} accepted in ${result.seconds.toFixed(2)} s = ${rate.toFixed(0)} commands/s; ` +
          `a phone waited p50 ${result.commandP50.toFixed(0)} ms, p99 ${result.commandP99.toFixed(0)} ms; raw conditional PutItem ${floor.toFixed(0)}/s; ratio ${(rate / floor).toFixed(2)} (goal ≥ 0.5); ` +
          `HTTP ceiling ${ceilingRate.toFixed(0)}/s (engine at ${(rate / ceilingRate).toFixed(2)} of it); ` +
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
