/**
 * Rebuild: empty every read model, then catch it up from the event table alone (streams keep 24 h; the
 * table keeps everything), each stream folded in memory and written in bulk. Safe while the stream consumer
 * runs: its conditional writes see an emptied checkpoint, and it fills the gap from the table like any other;
 * what the bulk writes may replace of its writes is applied again (catchUp.ts, rebuildRace.test.ts).
 */
import { catchUpProjections, type CatchUpOptions, type CatchUpReport } from './catchUp';

export interface RebuildReport extends CatchUpReport {
  /** Items deleted from each read model before rebuilding. */
  readonly cleared: Readonly<Record<string, number>>;
}

export const rebuildProjections = async (options: CatchUpOptions): Promise<RebuildReport> => {
  const started = performance.now();
  const cleared: Record<string, number> = {};
  for (const projection of options.projections) cleared[projection.name] = await projection.clear();
  const report = await catchUpProjections({ ...options, fresh: true });
  return { ...report, cleared, seconds: (performance.now() - started) / 1000 };
};
