/**
 * Event store benchmark on in-memory dynalite: our commit-per-item store vs Castore's DynamoDB adapter
 * (one item per event) on the same night of commands. Run: npx tsx bench/store.ts
 * dynalite runs in this process, so figures are CPU-bound, relative, and not AWS latencies.
 */
import '../src/local/polyfills';
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventStore as CastoreEventStore, EventType } from '@castore/core';
import {
  DynamoDBSingleTableEventStorageAdapter,
  EVENT_TABLE_EVENT_STORE_ID_KEY,
  EVENT_TABLE_INITIAL_EVENT_INDEX_NAME,
  EVENT_TABLE_PK,
  EVENT_TABLE_SK,
  EVENT_TABLE_TIMESTAMP_KEY,
} from '@castore/event-storage-adapter-dynamodb';
import { fold, isRejection, type Decider, type DomainEvent } from '../src/aggregates/decider';
import { handleCommand } from '../src/eventstore/commandHandler';
import { createStreamCache, loadStream, type StreamCache } from '../src/eventstore/loadedStream';
import { createDynamoEventStore } from '../src/eventstore/dynamoEventStore';
import { type EventStore } from '../src/eventstore/store';
import { startEmbeddedDynamo } from '../src/local/embeddedDynamo';

const SEQUENTIAL_COMMANDS = 1000; // one stream, one after another: this is also the stream we time loading
const STREAMS = 8;
const COMMANDS_PER_STREAM = 100; // streams run concurrently, commands within a stream sequentially
const LOAD_RUNS = 10;

// A stand-in night: a turn command; every 4th also calls the next singer and alerts the one after (3 events).
type Command = { readonly turn: number };
type Event = DomainEvent<'performed' | 'called' | 'alerted', { readonly turn: number; readonly singer: string }>;
type State = { readonly turns: number; readonly events: number };
const night: Decider<Command, Event, State> = {
  initialState: { turns: 0, events: 0 },
  decide: ({ turn }) => {
    const singer = `singer-${turn % 23}`;
    const performed: Event = { type: 'performed', data: { turn, singer } };
    return turn % 4 === 0
      ? [performed, { type: 'called', data: { turn, singer } }, { type: 'alerted', data: { turn, singer } }]
      : [performed];
  },
  evolve: (s, e) => ({ turns: s.turns + (e.type === 'performed' ? 1 : 0), events: s.events + 1 }),
};
const actor = { id: 'kj-1', role: 'kj' };

interface Runner {
  readonly name: string;
  command(streamId: string, turn: number): Promise<void>;
  load(streamId: string): Promise<State>;
}

const ours = (store: EventStore, cache?: StreamCache<Event, State>): Runner => ({
  name: cache ? 'ours (cached fold)' : 'ours',
  async command(streamId, turn) {
    const result = await handleCommand({
      store, decider: night, streamId, command: { turn }, commandId: `${streamId}-${turn}`, actor,
      at: new Date().toISOString(), ...(cache ? { cache } : {}),
    });
    if (result.kind !== 'accepted') throw new Error('unexpected rejection');
  },
  load: async (streamId) => (await loadStream(store, night, streamId)).state,
});

/** Castore the way its docs use it: getAggregate, decide, pushEvent per event (no transactions in dynalite). */
const castore = (client: DynamoDBClient, tableName: string): Runner => {
  const eventTypes = (['performed', 'called', 'alerted'] as const).map((type) => new EventType({ type }));
  type Aggregate = { aggregateId: string; version: number; state: State };
  const store = new CastoreEventStore({
    eventStoreId: 'ROTATION',
    eventTypes,
    reducer: (aggregate: Aggregate | undefined, event: { aggregateId: string; version: number; type: string; payload?: unknown }) => ({
      aggregateId: event.aggregateId,
      version: event.version,
      state: night.evolve(aggregate?.state ?? night.initialState, { type: event.type, data: event.payload } as Event),
    }),
    eventStorageAdapter: new DynamoDBSingleTableEventStorageAdapter({ tableName, dynamoDBClient: client }),
  });
  return {
    name: 'Castore',
    async command(streamId, turn) {
      const { aggregate } = await store.getAggregate(streamId);
      const decision = night.decide({ turn }, aggregate?.state ?? night.initialState);
      if (isRejection(decision)) throw new Error('unexpected rejection');
      let version = aggregate?.version ?? 0;
      const timestamp = new Date().toISOString();
      for (const event of decision) {
        await store.pushEvent({
          aggregateId: streamId, version: ++version, type: event.type, timestamp, payload: event.data,
          metadata: { commandId: `${streamId}-${turn}`, actor },
        } as never);
      }
    },
    load: async (streamId) => {
      const { aggregate } = await store.getAggregate(streamId);
      return (aggregate as Aggregate | undefined)?.state ?? night.initialState;
    },
  };
};

const createCastoreTable = (client: DynamoDBClient, tableName: string) =>
  client.send(new CreateTableCommand({
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: EVENT_TABLE_PK, AttributeType: 'S' },
      { AttributeName: EVENT_TABLE_SK, AttributeType: 'N' },
      { AttributeName: EVENT_TABLE_EVENT_STORE_ID_KEY, AttributeType: 'S' },
      { AttributeName: EVENT_TABLE_TIMESTAMP_KEY, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: EVENT_TABLE_PK, KeyType: 'HASH' },
      { AttributeName: EVENT_TABLE_SK, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [{
      IndexName: EVENT_TABLE_INITIAL_EVENT_INDEX_NAME,
      KeySchema: [
        { AttributeName: EVENT_TABLE_EVENT_STORE_ID_KEY, KeyType: 'HASH' },
        { AttributeName: EVENT_TABLE_TIMESTAMP_KEY, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    }],
  }));

const timed = async (work: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Figures {
  readonly sequentialPerSec: number;
  readonly concurrentPerSec: number;
  readonly loadMs: number;
}

const WARM_UP_COMMANDS = 20;

/** The shape of the measured work, smaller and untimed: concurrent streams, then loads of one. */
const warmUp = async (runner: Runner, prefix: string): Promise<void> => {
  await Promise.all(Array.from({ length: STREAMS }, async (_, s) => {
    for (let turn = 1; turn <= WARM_UP_COMMANDS; turn++) await runner.command(`${prefix}#s${s}`, turn);
  }));
  for (let i = 0; i < LOAD_RUNS; i++) await runner.load(`${prefix}#s0`);
};

const measure = async (runner: Runner, prefix: string): Promise<Figures> => {
  const longStream = `${prefix}#long`;
  const sequentialMs = await timed(async () => {
    for (let turn = 1; turn <= SEQUENTIAL_COMMANDS; turn++) await runner.command(longStream, turn);
  });
  const concurrentMs = await timed(() =>
    Promise.all(Array.from({ length: STREAMS }, async (_, s) => {
      for (let turn = 1; turn <= COMMANDS_PER_STREAM; turn++) await runner.command(`${prefix}#s${s}`, turn);
    })),
  );
  const loads: number[] = [];
  let state: State | undefined;
  for (let i = 0; i < LOAD_RUNS; i++) loads.push(await timed(async () => (state = await runner.load(longStream))));
  const expected = fold(night, Array.from({ length: SEQUENTIAL_COMMANDS }, (_, i) => night.decide({ turn: i + 1 }, night.initialState) as Event[]).flat());
  if (JSON.stringify(state) !== JSON.stringify(expected)) throw new Error(`${runner.name}: loaded ${JSON.stringify(state)}, expected ${JSON.stringify(expected)}`);

  const figures = {
    sequentialPerSec: SEQUENTIAL_COMMANDS / (sequentialMs / 1000),
    concurrentPerSec: (STREAMS * COMMANDS_PER_STREAM) / (concurrentMs / 1000),
    loadMs: median(loads),
  };
  console.log(
    `${runner.name.padEnd(20)} sequential ${figures.sequentialPerSec.toFixed(1).padStart(7)} commands/s` +
      ` | ${STREAMS} streams concurrently ${figures.concurrentPerSec.toFixed(1).padStart(7)} commands/s` +
      ` | load ${SEQUENTIAL_COMMANDS}-command stream ${figures.loadMs.toFixed(1).padStart(6)} ms (median of ${LOAD_RUNS})`,
  );
  return figures;
};

const main = async (): Promise<void> => {
  const started = performance.now();
  const dynamo = await startEmbeddedDynamo();
  try {
    const castoreTable = 'castore-events';
    await createCastoreTable(dynamo.client, castoreTable);
    const store = createDynamoEventStore({ client: dynamo.client, tableName: dynamo.tableNames.events });
    const events = SEQUENTIAL_COMMANDS + Math.floor(SEQUENTIAL_COMMANDS / 4) * 2;
    console.log(
      `Night: ${SEQUENTIAL_COMMANDS} commands (${events} events) on one stream, then ${STREAMS} streams × ${COMMANDS_PER_STREAM}` +
        ' commands concurrently; in-memory dynalite in this process.\n' +
        'ours: one commit item per command, whole stream re-read per command. Castore: one item per event.\n',
    );

    // Both sides first do the same untimed work: whichever ran first used to pay the process's JIT warm-up of the
    // SDK, the transport and dynalite, which both share (ours ran first, so the peer was measured warm).
    const runners = [ours(store), castore(dynamo.client, castoreTable)] as const;
    for (const runner of runners) await warmUp(runner, `rotation#warm-${runner.name}`);
    const our = await measure(runners[0], 'rotation#ours');
    const their = await measure(runners[1], 'rotation#castore');
    const cached = await measure(ours(store, createStreamCache<Event, State>()), 'rotation#cached');

    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    console.log('\nours / Castore (same work, no cache on either side):');
    console.log(`  append throughput, sequential:  ${ratio(our.sequentialPerSec, their.sequentialPerSec)}  (>1 = ours faster)`);
    console.log(`  append throughput, concurrent:  ${ratio(our.concurrentPerSec, their.concurrentPerSec)}  (>1 = ours faster)`);
    console.log(`  load time, ${SEQUENTIAL_COMMANDS}-command stream: ${ratio(our.loadMs, their.loadMs)}  (<1 = ours faster)`);
    console.log(`\nwith the fold cache, ours appends ${ratio(cached.sequentialPerSec, their.sequentialPerSec)} Castore's sequential rate.`);
    await durability();
    console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await dynamo.close();
  }
};

const DURABLE_COMMANDS = 300;

/**
 * What syncing each write costs on this disk: the same cached-fold appends on a data folder (as `npm start`
 * keeps it), with every LevelDB write synced before dynalite answers (the default) and without.
 */
const durability = async (): Promise<void> => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const rate = async (durable: boolean) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-durable-'));
    const folder = await startEmbeddedDynamo({ dataDir, durable });
    try {
      const runner = ours(createDynamoEventStore({ client: folder.client, tableName: folder.tableNames.events }), createStreamCache<Event, State>());
      const sequentialStart = performance.now();
      for (let turn = 1; turn <= DURABLE_COMMANDS; turn++) await runner.command('rotation#durable', turn);
      const sequential = DURABLE_COMMANDS / ((performance.now() - sequentialStart) / 1000);
      const concurrentStart = performance.now();
      await Promise.all(
        Array.from({ length: STREAMS }, async (_, s) => {
          for (let turn = 1; turn <= DURABLE_COMMANDS / STREAMS; turn++) await runner.command(`rotation#durable-${s}`, turn);
        }),
      );
      const concurrent = DURABLE_COMMANDS / ((performance.now() - concurrentStart) / 1000);
      return { sequential, concurrent };
    } finally {
      await folder.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  const synced = await rate(true);
  const unsynced = await rate(false);
  console.log(`\nDurable appends on a data folder (${DURABLE_COMMANDS} commands, cached fold; sync = fsync before dynalite answers):`);
  const row = (name: string, r: { sequential: number; concurrent: number }) =>
    console.log(`  ${name.padEnd(22)} sequential ${r.sequential.toFixed(1).padStart(7)} appends/s | ${STREAMS} streams concurrently ${r.concurrent.toFixed(1).padStart(7)} appends/s`);
  row('synced (npm start)', synced);
  row('not synced', unsynced);
  console.log(
    `  synced / not synced: sequential ${(synced.sequential / unsynced.sequential).toFixed(2)}×, concurrent ${(synced.concurrent / unsynced.concurrent).toFixed(2)}×`,
  );
};

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
