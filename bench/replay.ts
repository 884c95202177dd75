/**
 * Replay benchmark: rebuild every read model from the event table, on in-memory dynalite.
 * Run: npm run bench:replay   (EVENTS=100000 STREAMS=120 COMMANDS_PER_COMMIT=4 CONCURRENCY=8 to change it)
 *
 * The table is filled first by appending commits straight to the store (no API, no projections): realistic
 * rotation nights from the domain's own decide(), many streams written side by side. To fill 100,000 events
 * in well under a minute, a commit carries the events of COMMANDS_PER_COMMIT consecutive commands (the API
 * writes one command per commit); the rebuild reads and applies the same events either way.
 * dynalite runs in this process, so the figures are CPU-bound and relative, not AWS latencies.
 */
import '../src/local/polyfills';
import { createDynamoEventStore } from '../src/eventstore/dynamoEventStore';
import { startEmbeddedDynamo } from '../src/local/embeddedDynamo';
import { catchUpProjections, createRotationReadModels, rebuildProjections } from '../src/projections';
import { fillNights } from './fillNights';

const TARGET_EVENTS = Number(process.env.EVENTS ?? 100_000);
const STREAMS = Number(process.env.STREAMS ?? 120);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const COMMANDS_PER_COMMIT = Math.max(1, Number(process.env.COMMANDS_PER_COMMIT ?? 4));
const EVENTS_PER_STREAM = Math.ceil(TARGET_EVENTS / STREAMS);

const n = (value: number) => Math.round(value).toLocaleString('en-US');

const main = async () => {
  // In-process, as `rotation rebuild` and the engine reach the store (src/cli/connect.ts, src/local/engine.ts).
  const dynamo = await startEmbeddedDynamo({ transport: 'in-process' });
  try {
    const store = createDynamoEventStore({ client: dynamo.client, tableName: dynamo.tableNames.events });
    const { projections } = createRotationReadModels(dynamo.client, dynamo.tableNames);

    console.log(`Filling the event table: ${STREAMS} rotations × ~${n(EVENTS_PER_STREAM)} events, ${COMMANDS_PER_COMMIT} command(s) per commit, appended directly…`);
    const fillStarted = performance.now();
    const written = await fillNights(store, { streams: STREAMS, eventsPerStream: EVENTS_PER_STREAM, commandsPerCommit: COMMANDS_PER_COMMIT });
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    console.log(`  wrote ${n(written.events)} events in ${n(written.commits)} commits in ${fillSeconds.toFixed(1)} s (${n(written.commits / fillSeconds)} appends/s)`);

    console.log(`Rebuilding every read model from the table (${CONCURRENCY} streams at a time)…`);
    let lastShown = 0;
    const report = await rebuildProjections({
      store,
      projections,
      concurrency: CONCURRENCY,
      onProgress: (p) => {
        if (p.streamsDone - lastShown >= STREAMS / 4 || p.streamsDone === p.streamsTotal) {
          lastShown = p.streamsDone;
          process.stderr.write(`  … ${p.streamsDone}/${p.streamsTotal} streams, ${n(p.events)} events\n`);
        }
      },
    });
    if (report.failures.length > 0) throw new Error(`rebuild failed: ${JSON.stringify(report.failures.slice(0, 3))}`);
    if (report.events !== written.events) throw new Error(`rebuild read ${report.events} events, ${written.events} were written`);

    const idle = await catchUpProjections({ store, projections, concurrency: CONCURRENCY });
    const applied = Object.entries(report.applied).map(([name, count]) => `${name} ${n(count)}`).join(', ');
    console.log('');
    console.log(`Rebuild of ${n(report.events)} events (${n(report.commits)} commits, ${report.streamsDone} streams):`);
    console.log(`  ${report.seconds.toFixed(2)} s  →  ${n(report.events / report.seconds)} events/s, ${n(report.commits / report.seconds)} commits/s`);
    console.log(`  commits applied per read model: ${applied}`);
    console.log(`Start-up catch-up with every read model current: ${idle.seconds.toFixed(2)} s for ${idle.streamsDone} streams (${Object.values(idle.applied).reduce((a, b) => a + b, 0)} commits applied)`);
    console.log(`Node ${process.version}, in-memory dynalite in the same process.`);
  } finally {
    await dynamo.close();
  }
};

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
