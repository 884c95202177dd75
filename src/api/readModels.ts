import { queueView, type QueueView } from '../aggregates/rotation';
import type { RotationService } from './rotationService';

/** The read side the API serves; projections implement it, and a fold of the stream does too. */
export interface QueueViewReader {
  read(rotationId: string, now: string): Promise<QueueView | null>;
}

export interface Performance {
  readonly rotationId: string;
  readonly venue: string;
  readonly song: { title: string; artist: string; key?: number };
  readonly startedAt: string;
  readonly completedAt: string;
  readonly durationSeconds: number;
}

export interface HistoryReader {
  performances(singerId: string): Promise<Performance[]>;
}

/** Queue view straight from the event stream: always current, costs a read of the stream. */
export const streamQueueViewReader = (service: RotationService): QueueViewReader => ({
  async read(rotationId, now) {
    const log = await service.read(rotationId);
    return log ? queueView(log.state, { version: log.version, now }) : null;
  },
});
