import type { QueueView } from '../aggregates/rotation';

/** The read side the API serves; the projections in src/projections implement it. */
export interface QueueViewReader {
  read(rotationId: string, now: string): Promise<QueueView | null>;
  /** The same view as UTF-8 JSON bytes, which the reader can reuse for many reads (one machine). */
  readJson?(rotationId: string, now: string): Promise<Uint8Array<ArrayBuffer> | null>;
}

export interface Performance {
  readonly rotationId: string;
  readonly venue: string;
  readonly song: { title: string; artist: string; key?: number };
  readonly startedAt: string;
  readonly completedAt: string;
  readonly durationSeconds: number;
  /** API.md "Singers the KJ adds": the KJ added this singer; they did not join themselves. */
  readonly addedByKj?: true;
}

export interface HistoryReader {
  performances(singerId: string): Promise<Performance[]>;
}
