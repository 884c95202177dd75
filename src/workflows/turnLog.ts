/** What the rotation's log says about one turn: pure reads over committed events. */
import type { RotationEvent } from '../aggregates/rotation';
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
