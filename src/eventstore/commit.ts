/**
 * A commit: the events one command produced, stored as one DynamoDB item (so the append is atomic),
 * chained by hash so an auditor can tell whether the night's log was edited after the fact.
 */
import { createHash } from 'node:crypto';
import type { DomainEvent } from '../aggregates/decider';

export interface Actor {
  readonly id: string;
  readonly role: string;
}

export interface StoredEvent<E extends DomainEvent = DomainEvent> {
  /** Per-stream event sequence number, contiguous across commits from 1: projections apply `lastApplied < seq`. */
  readonly seq: number;
  readonly type: E['type'];
  readonly schemaVersion: number;
  readonly data: E['data'];
}

/** What the command handler hands to append; the store assigns version and hash. */
export interface NewCommit<E extends DomainEvent = DomainEvent> {
  readonly commandId: string;
  readonly actor: Actor;
  /** ISO-8601 time of the command. */
  readonly at: string;
  readonly events: readonly StoredEvent<E>[];
  /** Hash of the previous commit in the stream, GENESIS_HASH for version 1. */
  readonly prevHash: string;
}

export interface StoredCommit<E extends DomainEvent = DomainEvent> extends NewCommit<E> {
  readonly streamId: string;
  /** 1, 2, 3 … contiguous per stream. */
  readonly version: number;
  readonly hash: string;
}

/** What the next commit of a stream needs to know about the last one. */
export interface StreamHead {
  readonly version: number;
  readonly lastSeq: number;
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export const EMPTY_HEAD: StreamHead = { version: 0, lastSeq: 0, hash: GENESIS_HASH };

export const headAfter = (commit: StoredCommit): StreamHead => {
  const last = commit.events.at(-1);
  // The store refuses empty commits (a no-op command appends nothing), so there is always a last event.
  if (!last) throw new Error(`Commit ${commit.streamId}@${commit.version} has no events`);
  return { version: commit.version, lastSeq: last.seq, hash: commit.hash };
};

/** Numbers the events of the next commit after `head`. Every event schema is at version 1 (events/schemas). */
export const numberEvents = <E extends DomainEvent>(head: StreamHead, events: readonly E[]): StoredEvent<E>[] =>
  events.map((event, i) => ({ seq: head.lastSeq + i + 1, type: event.type, schemaVersion: 1, data: event.data }));

/**
 * JSON with object keys sorted and undefined properties dropped (as DynamoDB's removeUndefinedValues does),
 * so the same commit hashes the same before writing and after reading back.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') {
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError(`Cannot hash a ${typeof value} value`);
    return json;
  }
  // Built by appending rather than map/filter/join: every append and every audit hashes each commit.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i];
      out += (i === 0 ? '' : ',') + canonicalJson(element === undefined ? null : element);
    }
    return `${out}]`;
  }
  let out = '{';
  for (const key of Object.keys(value).sort()) {
    const property = (value as Record<string, unknown>)[key];
    if (property === undefined) continue;
    out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(property);
  }
  return `${out}}`;
};

/** sha256 hex of prevHash + canonical JSON of the commit's content. Exported for auditors. */
export const commitHash = (
  commit: Pick<StoredCommit, 'prevHash' | 'streamId' | 'version' | 'commandId' | 'actor' | 'at' | 'events'>,
): string => {
  const { prevHash, streamId, version, commandId, actor, at, events } = commit;
  return createHash('sha256')
    .update(prevHash)
    .update(canonicalJson({ streamId, version, commandId, actor, at, events }))
    .digest('hex');
};

/** Seals a new commit at `version` (sets the hash). */
export const sealCommit = <E extends DomainEvent>(
  streamId: string,
  version: number,
  commit: NewCommit<E>,
): StoredCommit<E> => {
  const content = {
    streamId,
    version,
    commandId: commit.commandId,
    actor: { id: commit.actor.id, role: commit.actor.role },
    at: commit.at,
    events: commit.events.map(({ seq, type, schemaVersion, data }) => ({ seq, type, schemaVersion, data })),
    prevHash: commit.prevHash,
  };
  return { ...content, hash: commitHash(content) };
};

/**
 * Checks a whole stream, in version order from version 1: returns the first commit whose prevHash does not
 * match the previous commit's hash (or genesis), whose version is out of sequence, or whose hash does not
 * match its content; null when the chain is intact.
 */
export const verifyChain = <C extends StoredCommit>(commits: readonly C[]): C | null => {
  let prevHash = GENESIS_HASH;
  for (const [i, commit] of commits.entries()) {
    if (commit.version !== i + 1 || commit.prevHash !== prevHash || commitHash(commit) !== commit.hash) {
      return commit;
    }
    prevHash = commit.hash;
  }
  return null;
};
