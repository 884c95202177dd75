/**
 * Runs one command against one stream, generic over any Decider:
 * load → fold → decide → append at the loaded version; on conflict catch up and re-decide (bounded).
 */
import { fold, isRejection, type Decider, type DomainEvent, type Rejection } from '../aggregates/decider';
import { numberEvents, type Actor, type StoredCommit, type StoredEvent } from './commit';
import { ConcurrencyError } from './errors';
import {
  advance,
  catchUp,
  committedVersion,
  emptySnapshot,
  stateAt,
  type StreamCache,
} from './loadedStream';
import type { DecidedStates } from './decidedStates';
import type { Upcast } from './domainEvents';
import type { EventStore } from './store';

interface Accepted<S> {
  readonly kind: 'accepted';
  readonly version: number;
  /** Hash of the commit at `version`: what a client notes to check the log later (`rotation audit --expect-head`). */
  readonly headHash: string;
  /** State right after this command. */
  readonly state: S;
}

export type CommandResult<E extends DomainEvent, S> =
  /** replayed: the command id was already committed; its first result is returned and nothing is appended. */
  | (Accepted<S> & { readonly commit: StoredCommit<E>; readonly replayed: boolean })
  /** A no-op: the decider decided nothing needs to change; nothing appended, version unchanged. */
  | (Accepted<S> & { readonly commit: null; readonly replayed: false })
  | { readonly kind: 'rejected'; readonly rejection: Rejection; readonly version: number };

export interface Backoff {
  /** First retry waits up to this (full jitter), doubling per attempt up to maxDelayMs. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Injectable for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Injectable clock (ms) for the retry budget. */
  readonly now?: () => number;
}

export interface HandleCommandParams<C, E extends DomainEvent, S> {
  readonly store: EventStore;
  readonly decider: Decider<C, E, S>;
  readonly streamId: string;
  readonly command: C;
  /** Idempotency key: a command id already in the stream is not appended again. */
  readonly commandId: string;
  readonly actor: Actor;
  /** ISO-8601 time of the command. */
  readonly at: string;
  /** Appends tried before the ConcurrencyError is thrown. */
  readonly maxAttempts?: number;
  /** Lost races stop being retried once this long has passed since the command began (default: no limit). */
  readonly retryForMs?: number;
  readonly backoff?: Backoff;
  /**
   * Folds kept between commands (one cache per decider). Without it every command re-reads and re-folds
   * the whole stream; with it, a command reads only the commits since the cached head.
   */
  readonly cache?: StreamCache<E, S>;
  /**
   * Decide against the cached state without reading first (one writer per stream in this process): a newer
   * commit from another process shows up as a lost race, which catches up and re-decides.
   */
  readonly decideOnCached?: boolean;
  /** How stored events become the decider's events (default: as stored). */
  readonly upcast?: Upcast<E>;
  /** Throws if an event may not be stored (its schema refuses it); nothing is appended then. */
  readonly checkEvent?: (event: StoredEvent<E>) => void;
  /** Where the state after each commit is noted before it is appended, for a read model in this process to take. */
  readonly decided?: DecidedStates<S>;
}

export const handleCommand = async <C, E extends DomainEvent, S>(
  params: HandleCommandParams<C, E, S>,
): Promise<CommandResult<E, S>> => {
  const { store, decider, streamId, command, commandId, actor, at, maxAttempts = 5, retryForMs = Infinity, cache } = params;
  const clock = params.backoff?.now ?? Date.now;
  const started = clock();
  const lastAttempt = (attempt: number) => attempt >= maxAttempts || clock() - started >= retryForMs;
  const cached = cache?.get(streamId);
  // Unread: decided on as held; an append shows whether it was current, a rejection or no-op reads first.
  let unread = Boolean(cached && params.decideOnCached);
  let loaded = unread ? cached! : await catchUp(store, decider, cached ?? emptySnapshot(streamId, decider), params.upcast);
  cache?.set(loaded);

  for (let attempt = 1; ; attempt++) {
    const committedAt = committedVersion(loaded, commandId);
    if (committedAt !== undefined) {
      const commit = loaded.log.commits[committedAt - 1]!;
      const state = stateAt(loaded, committedAt, decider, params.upcast);
      return { kind: 'accepted', commit, version: committedAt, headHash: commit.hash, state, replayed: true };
    }

    const decision = decider.decide(command, loaded.state);
    if (unread && (isRejection(decision) || decision.length === 0)) {
      // Nothing is appended, so no race would show a newer commit from another process: read before answering.
      unread = false;
      loaded = await catchUp(store, decider, loaded, params.upcast);
      cache?.set(loaded);
      attempt--;
      continue;
    }
    if (isRejection(decision)) return { kind: 'rejected', rejection: decision, version: loaded.head.version };
    if (decision.length === 0) {
      return { kind: 'accepted', commit: null, version: loaded.head.version, headHash: loaded.head.hash, state: loaded.state, replayed: false };
    }

    const events = numberEvents(loaded.head, decision);
    if (params.checkEvent) events.forEach(params.checkEvent);
    const state = fold(decider, decision, loaded.state);
    params.decided?.note(streamId, loaded.head.version + 1, commandId, state);
    try {
      const commit = (await store.append(streamId, loaded.head.version, {
        commandId,
        actor,
        at,
        events,
        prevHash: loaded.head.hash,
      })) as StoredCommit<E>;
      cache?.set(advance(loaded, commit, state));
      return { kind: 'accepted', commit, version: commit.version, headHash: commit.hash, state, replayed: false };
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
      const giveUp = lastAttempt(attempt);
      if (!giveUp) await pause(attempt, params.backoff);
      // Whoever won may be us (a write that landed but whose response was lost): catching up shows it.
      // Only the commits after the held head are read.
      loaded = await catchUp(store, decider, loaded, params.upcast);
      cache?.set(loaded);
      if (committedVersion(loaded, commandId) !== undefined) continue;
      if (giveUp) throw err;
    }
  }
};

const pause = (attempt: number, backoff: Backoff = {}): Promise<void> => {
  const { baseDelayMs = 10, maxDelayMs = 500, random = Math.random, sleep = defaultSleep } = backoff;
  return sleep(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
};

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
