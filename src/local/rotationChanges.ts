import type { DynamoDBRecord } from 'aws-lambda';
import { rotationIdOf } from '../eventstore/tables';
import { keysOfStreamRecord } from '../projections/streamRecord';
import type { LocalStreamFeed } from './streamFeed';

export type RotationChangeListener = (version: number) => void;

/** "Rotation X has a new commit at version N", for whoever is watching X right now. */
export interface RotationChanges {
  /** Starts calling `listener` after every commit to the rotation; returns the function that stops it. */
  watch(rotationId: string, listener: RotationChangeListener): () => void;
}

const changeOf = (record: DynamoDBRecord): { rotationId: string; version: number } | null => {
  const keys = keysOfStreamRecord(record);
  if (!keys) return null;
  const { streamId, version } = keys;
  try {
    return { rotationId: rotationIdOf(streamId), version };
  } catch {
    return null; // another aggregate's stream: not a rotation, nobody watches it here
  }
};

/**
 * Fed by the stream feed, as a background consumer (never holds up an append). The feed has no unsubscribe,
 * so this subscribes once and keeps its own listeners per rotation; a listener's failure never fails the
 * delivery, because a retried delivery would only notify everyone twice.
 */
export const rotationChangesFrom = (feed: Pick<LocalStreamFeed, 'subscribe'>): RotationChanges => {
  const listeners = new Map<string, Set<RotationChangeListener>>();
  feed.subscribe({
    name: 'live-updates',
    consumer: async ({ Records }) => {
      for (const record of Records) {
        const change = changeOf(record);
        if (!change) continue;
        for (const listener of [...(listeners.get(change.rotationId) ?? [])]) {
          try {
            listener(change.version);
          } catch {
            /* one broken listener must not starve the others */
          }
        }
      }
    },
  });
  return {
    watch(rotationId, listener) {
      const set = listeners.get(rotationId) ?? new Set();
      set.add(listener);
      listeners.set(rotationId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(rotationId) === set) listeners.delete(rotationId);
      };
    },
  };
};
