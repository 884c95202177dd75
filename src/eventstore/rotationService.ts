import { fold } from '../aggregates/decider';
import {
  rotationDecider,
  type RotationCommand,
  type RotationEvent,
  type RotationRejection,
  type RotationState,
} from '../aggregates/rotation';
import { handleCommand, type Backoff } from './commandHandler';
import type { StoredCommit, StoredEvent } from './commit';
import { catchUp, createStreamCache, emptySnapshot, type StreamCache } from './loadedStream';
import { assertEventMatchesSchema } from './eventSchemas';
import { createOneWriter } from './oneWriter';
import type { DecidedStates } from './decidedStates';
import { eventsOf, toRotationEvent } from './domainEvents';
import type { EventStore, ReadEventsOptions } from './store';
import { streamIdFor } from './tables';

export type CommandOutcome =
  | {
      readonly kind: 'accepted';
      readonly version: number;
      /** Hash of the commit at `version` (the head this answer saw), for clients to note. */
      readonly headHash: string;
      /** What this command recorded (empty when it changed nothing). */
      readonly events: readonly StoredEvent<RotationEvent>[];
      readonly state: RotationState;
      readonly replayed: boolean;
    }
  | { readonly kind: 'rejected'; readonly rejection: RotationRejection; readonly version: number };

export interface RotationLog {
  readonly state: RotationState;
  readonly version: number;
  readonly commits: readonly StoredCommit<RotationEvent>[];
}

/**
 * The command port every transport uses (HTTP handlers, the turn workflow): load → decide → append, with
 * retries of lost races and command-id idempotency in the event store's command handler. Commands for one
 * rotation are decided one after another against the state this process holds (DESIGN.md "The command
 * path"); only another process (another Lambda) can win a race, and that is retried for about 3 s.
 */
export interface RotationService {
  execute(rotationId: string, command: RotationCommand, commandId: string): Promise<CommandOutcome>;
  /**
   * The rotation's log, optionally as it stood at a version, an event seq or a time; null if it did not exist
   * then. With toSeq, `commits` ends with the commit holding that event and `state` stops at the event.
   */
  read(rotationId: string, options?: ReadEventsOptions): Promise<RotationLog | null>;
  /**
   * The state this process holds, without reading: possibly behind the log (another process may have appended).
   * Only what never changes once recorded (the settings) may be decided on from it.
   */
  held?(rotationId: string): RotationState | undefined;
}

/** How long a command keeps retrying races lost to other processes before it answers 409 (API.md "Errors"). */
export const RETRY_CONTENTION_MS = 3_000;

export const createRotationService = ({
  store,
  cache = createStreamCache<RotationEvent, RotationState>({ maxStreams: 200 }),
  maxAttempts = Infinity,
  retryForMs = RETRY_CONTENTION_MS,
  backoff = { baseDelayMs: 5, maxDelayMs: 200 },
  settled,
  decided,
}: {
  store: EventStore;
  /** One machine: each decided state is noted for the queue view, which then need not fold the commit again. */
  decided?: DecidedStates<RotationState>;
  /**
   * Awaited after the stream's writer has moved on to the next command, before answering: on one machine,
   * until the read models have the commit (src/local/streamFeed.ts `pipelined`), so a 201 is seen by the next read.
   */
  settled?: (commit: StoredCommit) => Promise<void>;
  cache?: StreamCache<RotationEvent, RotationState>;
  maxAttempts?: number;
  retryForMs?: number;
  backoff?: Backoff;
}): RotationService => {
  const writer = createOneWriter();
  return {
    async execute(rotationId, command, commandId) {
      const streamId = streamIdFor(rotationId);
      const result = await writer.run(streamId, () => handleCommand({
        store,
        decider: rotationDecider,
        streamId,
        command,
        commandId,
        actor: command.actor,
        at: command.at,
        maxAttempts,
        retryForMs,
        backoff,
        cache,
        decideOnCached: true,
        checkEvent: assertEventMatchesSchema,
        upcast: toRotationEvent,
        ...(decided ? { decided } : {}),
      }));
      if (result.kind === 'rejected') {
        return { kind: 'rejected', rejection: result.rejection as RotationRejection, version: result.version };
      }
      if (result.commit && settled) await settled(result.commit);
      return {
        kind: 'accepted',
        version: result.version,
        headHash: result.headHash,
        events: result.commit?.events ?? [],
        state: result.state,
        replayed: result.replayed,
      };
    },

    held: (rotationId) => cache.get(streamIdFor(rotationId))?.state,

    async read(rotationId, options) {
      if (!options || Object.values(options).every((v) => v === undefined)) {
        // The whole log: the held one, caught up with whatever other processes appended since.
        const streamId = streamIdFor(rotationId);
        const held = await catchUp(store, rotationDecider, cache.get(streamId) ?? emptySnapshot(streamId, rotationDecider), toRotationEvent);
        cache.set(held);
        const { version } = held.head;
        return version === 0 ? null : { state: held.state, version, commits: held.log.commits.slice(0, version) };
      }
      const { toVersion, toSeq, toTime } = options;
      const read = (await store.readStream(streamIdFor(rotationId), { toVersion, toTime })) as StoredCommit<RotationEvent>[];
      // A seq may fall inside a commit that recorded several events: that commit is the last one kept.
      const commits = toSeq === undefined ? read : read.filter((c) => c.events[0]!.seq <= toSeq);
      if (commits.length === 0) return null;
      const state = fold(rotationDecider, eventsOf(commits, toRotationEvent, { toSeq }));
      return { state, version: commits[commits.length - 1]!.version, commits };
    },
  };
};
