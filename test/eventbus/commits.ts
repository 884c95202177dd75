import { sealCommit, GENESIS_HASH, type StoredCommit, type StoredEvent } from '../../src/eventstore/commit';
import { streamIdFor } from '../../src/eventstore/tables';

export const KJ_ACTOR = { id: 'kj-1', role: 'kj' };

/** Builds stored commits of one rotation the way the event store does: contiguous versions and seqs. */
export const commitsFor = (
  rotationId: string,
  eventsPerCommit: readonly (readonly { type: string; data: unknown }[])[],
  { firstVersion = 1, firstSeq = 1, at = (v: number) => `2025-01-01T20:${String(v).padStart(2, '0')}:07.250Z` } = {},
): StoredCommit[] => {
  let seq = firstSeq;
  let prevHash = GENESIS_HASH;
  return eventsPerCommit.map((events, i) => {
    const version = firstVersion + i;
    const stored: StoredEvent[] = events.map((e) => ({ seq: seq++, type: e.type, schemaVersion: 1, data: e.data }));
    const commit = sealCommit(streamIdFor(rotationId), version, {
      commandId: `${rotationId}-cmd-${version}`,
      actor: KJ_ACTOR,
      at: at(version),
      events: stored,
      prevHash,
    });
    prevHash = commit.hash;
    return commit;
  });
};

/** The detail EventBridge carries for one stored event, keys in the documented order. */
export const expectedDetail = (commit: StoredCommit, index: number, rotationId: string) => {
  const e = commit.events[index]!;
  return {
    rotationId,
    streamId: commit.streamId,
    version: commit.version,
    seq: e.seq,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    actor: commit.actor,
    at: commit.at,
  };
};
