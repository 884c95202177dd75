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
import { isRejection, type DomainEvent } from '../src/aggregates/decider';
import { rotationDecider, type Actor, type RotationCommand, type RotationState } from '../src/aggregates/rotation';
import { GENESIS_HASH, numberEvents, type StreamHead } from '../src/eventstore/commit';
import { createDynamoEventStore } from '../src/eventstore/dynamoEventStore';
import { type EventStore } from '../src/eventstore/store';
import { streamIdFor } from '../src/eventstore/tables';
import { startEmbeddedDynamo } from '../src/local/embeddedDynamo';
import { catchUpProjections, createRotationReadModels, rebuildProjections } from '../src/projections';
import { forEachConcurrently } from '../src/projections/concurrency';

const TARGET_EVENTS = Number(process.env.EVENTS ?? 100_000);
const STREAMS = Number(process.env.STREAMS ?? 120);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const COMMANDS_PER_COMMIT = Math.max(1, Number(process.env.COMMANDS_PER_COMMIT ?? 4));
const EVENTS_PER_STREAM = Math.ceil(TARGET_EVENTS / STREAMS);
const SINGERS = 14;

const KJ: Actor = { id: 'kj-bench', role: 'kj' };
const singer = (i: number): Actor => ({ id: `singer-${i}`, role: 'singer' });

/**
 * The commands of one busy night, decided as it goes so every one is accepted: singers join and keep two
 * songs queued, turns are called, started and completed, with skips, no-shows and breaks along the way.
 */
function* night(rotationId: string, state: () => RotationState): Generator<RotationCommand> {
  let minute = 0;
  const at = () => new Date(Date.UTC(2026, 10, 21, 19) + ++minute * 20_000).toISOString();
  yield { type: 'OpenRotation', rotationId, venue: `Bench Bar ${rotationId}`, settings: { autoAdvance: false, maxPendingSongs: 4 }, actor: KJ, at: at() };
  for (let i = 0; i < SINGERS; i++) {
    yield { type: 'JoinRotation', singerId: singer(i).id, displayName: `Singer ${i}`, songId: `s${i}-0`, song: { title: `Song ${i}-0`, artist: 'Bench' }, actor: singer(i), at: at() };
  }
  for (let turn = 1; ; turn++) {
    const who = turn % SINGERS;
    const s = state().singers[singer(who).id];
    if (s && s.songs.length < 2) yield { type: 'QueueSong', singerId: s.singerId, songId: `s${who}-${turn}`, song: { title: `Song ${who}-${turn}`, artist: 'Bench' }, actor: singer(who), at: at() };
    if (turn % 7 === 0) yield { type: 'SkipTurn', singerId: singer((turn + 3) % SINGERS).id, actor: singer((turn + 3) % SINGERS), at: at() };
    if (turn % 11 === 0) yield { type: 'GoAway', singerId: singer((turn + 5) % SINGERS).id, actor: singer((turn + 5) % SINGERS), at: at() };
    if (turn % 11 === 4) yield { type: 'ComeBack', singerId: singer((turn + 1) % SINGERS).id, actor: singer((turn + 1) % SINGERS), at: at() };
    yield { type: 'CallNext', turnId: `t${turn}`, actor: KJ, at: at() };
    if (!state().currentTurn) continue;
    if (turn % 9 === 0) {
      yield { type: 'ForfeitTurn', turnId: `t${turn}`, actor: { id: 'turn-workflow', role: 'system' }, at: at() };
      continue;
    }
    yield { type: 'StartTurn', turnId: `t${turn}`, actor: KJ, at: at() };
    yield { type: 'CompleteTurn', turnId: `t${turn}`, actor: KJ, at: at() };
  }
}

/** Appends one night to the table, commit by commit, chaining versions, seqs and hashes as the command handler does. */
const writeNight = async (store: EventStore, rotationId: string): Promise<{ commits: number; events: number }> => {
  const streamId = streamIdFor(rotationId);
  let state = rotationDecider.initialState;
  let head: StreamHead = { version: 0, lastSeq: 0, hash: GENESIS_HASH };
  let pending: DomainEvent[] = [];
  let commands = 0;
  let last: RotationCommand | undefined;
  const flush = async () => {
    if (pending.length === 0 || !last) return;
    const stored = await store.append(streamId, head.version, {
      commandId: `${rotationId}-${head.version + 1}`,
      actor: last.actor,
      at: last.at,
      events: numberEvents(head, pending),
      prevHash: head.hash,
    });
    head = { version: stored.version, lastSeq: stored.events.at(-1)!.seq, hash: stored.hash };
    pending = [];
  };
  for (const command of night(rotationId, () => state)) {
    if (head.lastSeq + pending.length >= EVENTS_PER_STREAM) break;
    const decided = rotationDecider.decide(command, state);
    if (isRejection(decided) || decided.length === 0) continue;
    for (const e of decided) state = rotationDecider.evolve(state, e);
    pending.push(...decided);
    last = command;
    if (++commands % COMMANDS_PER_COMMIT === 0) await flush();
  }
  await flush();
  return { commits: head.version, events: head.lastSeq };
};

const n = (value: number) => Math.round(value).toLocaleString('en-US');

const main = async () => {
  const dynamo = await startEmbeddedDynamo();
  try {
    const store = createDynamoEventStore({ client: dynamo.client, tableName: dynamo.tableNames.events });
    const { projections } = createRotationReadModels(dynamo.client, dynamo.tableNames);

    console.log(`Filling the event table: ${STREAMS} rotations × ~${n(EVENTS_PER_STREAM)} events, ${COMMANDS_PER_COMMIT} command(s) per commit, appended directly…`);
    const written = { commits: 0, events: 0 };
    const fillStarted = performance.now();
    await forEachConcurrently(Array.from({ length: STREAMS }, (_, i) => `bench-${String(i).padStart(3, '0')}`), 16, async (id) => {
      const w = await writeNight(store, id);
      written.commits += w.commits;
      written.events += w.events;
    });
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
