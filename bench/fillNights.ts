/**
 * Fills an event table fast for the replay and start-up benches: realistic rotation nights from the domain's own
 * decide(), appended straight to the store (no API, no projections), many streams side by side. A commit carries
 * the events of `commandsPerCommit` consecutive commands (the API writes one command per commit); readers read
 * and apply the same events either way.
 */
import { isRejection, type DomainEvent } from '../src/aggregates/decider';
import { rotationDecider, type RotationCommand } from '../src/aggregates/rotation';
import { GENESIS_HASH, numberEvents, type StreamHead } from '../src/eventstore/commit';
import { type EventStore } from '../src/eventstore/store';
import { streamIdFor } from '../src/eventstore/tables';
import { forEachConcurrently } from '../src/projections/concurrency';
import { night } from './night';

export interface FillOptions {
  readonly streams: number;
  readonly eventsPerStream: number;
  readonly commandsPerCommit: number;
  /** End each night with CloseRotation (a past night), or leave it open mid-turn. */
  readonly close?: boolean;
}

/** Appends one night to the table, commit by commit, chaining versions, seqs and hashes as the command handler does. */
const writeNight = async (store: EventStore, rotationId: string, { eventsPerStream, commandsPerCommit, close = false }: FillOptions) => {
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
  const take = (command: RotationCommand) => {
    const decided = rotationDecider.decide(command, state);
    if (isRejection(decided) || decided.length === 0) return;
    for (const e of decided) state = rotationDecider.evolve(state, e);
    pending.push(...decided);
    last = command;
  };
  for (const command of night(rotationId, () => state)) {
    if (head.lastSeq + pending.length >= eventsPerStream) break;
    take(command);
    if (last === command && ++commands % commandsPerCommit === 0) await flush();
  }
  if (close && last) take({ type: 'CloseRotation', actor: { id: 'kj-bench', role: 'kj' }, at: new Date(Date.parse(last.at) + 60_000).toISOString() });
  await flush();
  return { commits: head.version, events: head.lastSeq };
};

/** Writes `streams` nights (rotation ids bench-000, bench-001, …), 16 at a time. */
export const fillNights = async (store: EventStore, options: FillOptions): Promise<{ commits: number; events: number }> => {
  const written = { commits: 0, events: 0 };
  await forEachConcurrently(Array.from({ length: options.streams }, (_, i) => `bench-${String(i).padStart(3, '0')}`), 16, async (id) => {
    const w = await writeNight(store, id, options);
    written.commits += w.commits;
    written.events += w.events;
  });
  return written;
};
