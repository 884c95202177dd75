/** What the rotation's log says about one turn: pure reads over committed events. */
import { fold } from '../aggregates/decider';
import { rotationDecider, type RotationEvent, type RotationState } from '../aggregates/rotation';
import type { StoredCommit } from '../eventstore/commit';
import type { TurnProgress } from './contract';

const PROGRESS_OF_EVENT: Partial<Record<RotationEvent['type'], TurnProgress>> = {
  TurnCalled: 'called',
  TurnStarted: 'started',
  TurnCompleted: 'completed',
  TurnForfeited: 'forfeited',
  TurnSkipped: 'skipped',
};

/** The progress an event means for its turn, or undefined for events that are not about a turn's life. */
export const progressOfEvent = (type: string): TurnProgress | undefined => PROGRESS_OF_EVENT[type as RotationEvent['type']];

/** How far turn `turnId` got, per the log; null if it was never called. */
export const turnProgress = (commits: readonly StoredCommit<RotationEvent>[], turnId: string): TurnProgress | null => {
  let progress: TurnProgress | null = null;
  for (const commit of commits) {
    for (const event of commit.events) {
      const step = progressOfEvent(event.type);
      if (step && (event.data as { turnId?: string }).turnId === turnId) progress = step;
    }
  }
  return progress;
};

/** The rotation as it stood right after commit `version` (the whole log if it is shorter). */
export const stateAtVersion = (commits: readonly StoredCommit<RotationEvent>[], version: number): RotationState =>
  fold(
    rotationDecider,
    commits.filter((c) => c.version <= version).flatMap((c) => c.events.map(({ type, data }) => ({ type, data }) as RotationEvent)),
  );
