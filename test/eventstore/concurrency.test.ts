import { fold } from '../../src/aggregates/decider';
import { handleCommand } from '../../src/eventstore/commandHandler';
import { verifyChain } from '../../src/eventstore/commit';
import { createStreamCache } from '../../src/eventstore/loadedStream';
import { createDynamoEventStore } from '../../src/eventstore/dynamoEventStore';
import { withEmbeddedDynamo } from '../support/dynamo';
import { counterDecider, type CounterEvent, type CounterState } from './counterDecider';

const dynamo = withEmbeddedDynamo();

const WRITERS = 32;
const COMMANDS_EACH = 50;

it(`${WRITERS} concurrent writers × ${COMMANDS_EACH} commands on one stream: each accepted command lands exactly once`, async () => {
  const store = createDynamoEventStore({ client: dynamo.client, tableName: dynamo.tableNames.events });
  const decider = counterDecider();
  const streamId = 'rotation#contended';
  const accepted = new Set<string>();
  let conflicts = 0;
  const countingStore = {
    ...store,
    append: (...args: Parameters<typeof store.append>) =>
      store.append(...args).catch((err: unknown) => {
        conflicts++;
        throw err;
      }),
  };

  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      // Each writer is like its own warm Lambda container: its own cache, catching up from its own head.
      const cache = createStreamCache<CounterEvent, CounterState>();
      for (let i = 0; i < COMMANDS_EACH; i++) {
        const commandId = `w${w}-c${i}`;
        const result = await handleCommand({
          store: countingStore,
          decider,
          streamId,
          command: { type: 'increment', by: w + 1 },
          commandId,
          actor: { id: `writer-${w}`, role: 'singer' },
          at: new Date().toISOString(),
          maxAttempts: 1_000,
          backoff: { baseDelayMs: 5, maxDelayMs: 250 },
          cache,
        });
        if (result.kind === 'accepted' && result.commit) accepted.add(commandId);
      }
    }),
  );
  const log = await store.readStream(streamId);
  const total = WRITERS * COMMANDS_EACH;
  // Contention really happened: without conflicts this would not test the retry path.
  expect(conflicts).toBeGreaterThan(0);

  expect(accepted.size).toBe(total);
  expect(log.map((c) => c.commandId).sort()).toEqual([...accepted].sort()); // each exactly once
  expect(log.map((c) => c.version)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  const seqs = log.flatMap((c) => c.events.map((e) => e.seq));
  expect(seqs).toEqual(Array.from({ length: total * 2 }, (_, i) => i + 1));
  expect(verifyChain(log)).toBeNull();

  const expectedValue = Array.from({ length: WRITERS }, (_, w) => (w + 1) * COMMANDS_EACH).reduce((a, b) => a + b, 0);
  const replayed = fold(decider, log.flatMap((c) => c.events as unknown as CounterEvent[]));
  expect(replayed).toEqual({ value: expectedValue, increments: total });
  // Throughput is a benchmark's figure (npm run bench:store), not this test's verdict; contention varies by machine.
}, 600_000);
