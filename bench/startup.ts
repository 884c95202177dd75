/**
 * Start-up benchmark: how long the one-machine engine (`npm start`) takes, from startEngine() to answering
 * GET /health, on a data folder holding ~100,000 events against one holding none. Goal: within 1.2×.
 * Run: npm run bench:startup   (EVENTS=100000 STREAMS=120 RUNS=7 to change it)
 *
 * The history is STREAMS past nights (each closed), appended straight to the store as bench:replay fills its
 * table, then caught up once by starting and stopping the engine, as a KJ's laptop would have it. The empty
 * folder has been started once too (its tables exist), so the two differ only in what they hold. Runs alternate
 * between the folders; the medians are compared.
 */
import '../src/local/polyfills';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDynamoEventStore } from '../src/eventstore/dynamoEventStore';
import { startEmbeddedDynamo } from '../src/local/embeddedDynamo';
import { startEngine } from '../src/local/engine';
import { fillNights } from './fillNights';

const TARGET_EVENTS = Number(process.env.EVENTS ?? 100_000);
const STREAMS = Number(process.env.STREAMS ?? 120);
const RUNS = Math.max(1, Number(process.env.RUNS ?? 7));
const GOAL = 1.2;

const n = (value: number) => Math.round(value).toLocaleString('en-US');
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const quiet = { printAlert: () => {}, port: 0 } as const;

/** Milliseconds from startEngine() until /health answers 200; the engine is stopped afterwards (not timed). */
const startUp = async (dataDir: string): Promise<number> => {
  const started = performance.now();
  const engine = await startEngine({ dataDir, ...quiet });
  try {
    const res = await fetch(`${engine.url}/health`);
    if (res.status !== 200) throw new Error(`/health answered ${res.status}`);
    await res.arrayBuffer();
    return performance.now() - started;
  } finally {
    await engine.stop();
  }
};

const main = async () => {
  const root = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  const empty = join(root, 'empty');
  const history = join(root, 'history');
  try {
    console.log(`Filling a data folder: ${STREAMS} past nights × ~${n(TARGET_EVENTS / STREAMS)} events, appended directly…`);
    const fillStarted = performance.now();
    const dynamo = await startEmbeddedDynamo({ dataDir: history, durable: false, transport: 'in-process' });
    let written: { commits: number; events: number };
    try {
      const store = createDynamoEventStore({ client: dynamo.client, tableName: dynamo.tableNames.events });
      written = await fillNights(store, { streams: STREAMS, eventsPerStream: Math.ceil(TARGET_EVENTS / STREAMS), commandsPerCommit: 4, close: true });
    } finally {
      await dynamo.close();
    }
    console.log(`  wrote ${n(written.events)} events in ${n(written.commits)} commits in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s`);

    // The first start of each folder: the history's read models catch up, the empty folder gets its tables.
    const firstHistory = await startUp(history);
    const firstEmpty = await startUp(empty);
    console.log(`  first start (read models catch up): history ${n(firstHistory)} ms, empty ${n(firstEmpty)} ms`);

    const times = { empty: [] as number[], history: [] as number[] };
    for (let run = 0; run < RUNS; run++) {
      // Alternate which goes first, so neither always follows the other's garbage.
      for (const which of run % 2 ? (['history', 'empty'] as const) : (['empty', 'history'] as const)) {
        times[which].push(await startUp(which === 'empty' ? empty : history));
      }
    }
    const ratio = median(times.history) / median(times.empty);
    const show = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
    console.log('');
    console.log(`Start-up until /health answers, ${RUNS} runs each:`);
    console.log(`  empty data folder:                  ${show(times.empty)}`);
    console.log(`  data folder with ${n(written.events)} events: ${show(times.history)}`);
    console.log(`  history / empty: ${ratio.toFixed(2)}×   (goal ≤ ${GOAL}×: ${ratio <= GOAL ? 'met' : 'NOT met'})`);
    console.log(`Node ${process.version}, dynalite on disk in the same process.`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
};

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
