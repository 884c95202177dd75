/**
 * Stream records made in this process (the local stream feed) carry the commit they were made from, so the
 * consumers in the same process take it as it is instead of unmarshalling the image again (DESIGN.md "One read
 * path": records are parsed at the edge, in-process consumers receive commits). Records from DynamoDB Streams
 * hold nothing here and are parsed as before. Commits are never changed once stored, so sharing one is safe.
 */
import type { StoredCommit } from './commit';

const held = new WeakMap<object, StoredCommit>();

export const holdCommit = <R extends object>(record: R, commit: StoredCommit): R => {
  held.set(record, commit);
  return record;
};

/** The commit an INSERT record made in this process was made from, if it is one. */
export const heldCommit = (record: { readonly eventName?: string }): StoredCommit | undefined =>
  record.eventName === 'INSERT' ? held.get(record) : undefined;
