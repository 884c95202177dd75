/**
 * `npm run bench:fold`: the pure fold of a rotation (evolve over a night's events, no I/O), in events/s.
 * Goal ≥ 2,000,000 events/s. Printed beside a floor measured in the same run: the same loop over the same
 * events with an evolve that only counts them, so the ratio says how much of the time is evolve's own.
 * Also printed: the same events through `evolve` one at a time (the fold uses the decider's `evolveAll`, which
 * writes into records it made itself during the replay instead of copying them per event; `evolve` copies).
 * EVENTS (default 50,000) sets the night's length.
 */
import { fold, isRejection, type DomainEvent } from '../src/aggregates/decider';
import { rotationDecider, type RotationState } from '../src/aggregates/rotation';
import { night } from './night';

const TARGET_EVENTS = Number(process.env.EVENTS ?? 50_000);
const GOAL = 2_000_000;

const nightEvents = (): DomainEvent[] => {
  let state: RotationState = rotationDecider.initialState;
  const events: DomainEvent[] = [];
  for (const command of night('fold-bench', () => state)) {
    if (events.length >= TARGET_EVENTS) break;
    const decided = rotationDecider.decide(command, state);
    if (isRejection(decided)) continue;
    for (const e of decided) state = rotationDecider.evolve(state, e);
    events.push(...decided);
  }
  return events;
};

/** Best of `runs` timings of `work` (ms): the least disturbed by the machine's other work. */
const best = (runs: number, work: () => unknown): number => {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
};

const main = () => {
  const events = nightEvents();
  const expected = JSON.stringify(fold(rotationDecider, events));
  const counting = { initialState: 0, evolve: (n: number) => n + 1 };
  for (let i = 0; i < 3; i++) fold(rotationDecider, events); // warm up the JIT
  const foldMs = best(10, () => fold(rotationDecider, events));
  const oneByOne = { initialState: rotationDecider.initialState, evolve: rotationDecider.evolve };
  for (let i = 0; i < 3; i++) fold(oneByOne, events);
  const evolveMs = best(10, () => fold(oneByOne, events));
  const floorMs = best(10, () => fold(counting, events));
  if (JSON.stringify(fold(rotationDecider, events)) !== expected) throw new Error('the fold is not deterministic');
  const rate = events.length / (foldMs / 1000);
  const floorRate = events.length / (floorMs / 1000);
  const evolveRate = events.length / (evolveMs / 1000);
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(`bench:fold — one 14-singer night, ${n(events.length)} events, best of 10 folds, Node ${process.version}`);
  console.log(`  fold (rotation)     ${n(rate).padStart(12)} events/s  (${foldMs.toFixed(1)} ms)   goal ≥ ${n(GOAL)}: ${rate >= GOAL ? 'met' : 'NOT met'} (${(rate / GOAL).toFixed(2)}×)`);
  console.log(`  evolve one by one   ${n(evolveRate).padStart(12)} events/s  (${evolveMs.toFixed(1)} ms)   ${(evolveRate / GOAL).toFixed(2)}× the goal`);
  console.log(`  floor (count only)  ${n(floorRate).padStart(12)} events/s  (${floorMs.toFixed(1)} ms)   evolve runs at ${(rate / floorRate).toFixed(3)}× the floor`);
};

main();
