/** `rotation rebuild`: empty every read model and rebuild it from the event table; say what was done. */
import { rebuildProjections } from '../projections';
import type { Connection } from './connect';
import { createProgressBar, type ProgressStream } from './progressBar';

export interface RebuildIo {
  readonly out: (line: string) => void;
  readonly progress: ProgressStream;
}

const n = (value: number) => value.toLocaleString('en-US');

export const runRebuild = async (connection: Connection, { out, progress }: RebuildIo): Promise<number> => {
  const { projections, caughtUp } = connection.readModels;
  // While the read models are emptied and refilled they are not current: an engine started meanwhile (or after
  // a failed rebuild) must catch up. A rebuild with no failure leaves them current again.
  const wasCurrent = await caughtUp.take();
  const bar = createProgressBar(progress, 'rebuilding');
  const report = await rebuildProjections({ store: connection.store, projections, onProgress: (p) => bar.update(p) });
  bar.done();
  if (wasCurrent && report.failures.length === 0) await caughtUp.set(new Date().toISOString());

  const names = projections.map((p) => p.name);
  out(`Rebuilt ${[names.slice(0, -1).join(', '), names.at(-1)].filter(Boolean).join(' and ')} from ${connection.where}:`);
  out(`  streams  ${n(report.streamsDone)}`);
  out(`  commits  ${n(report.commits)}`);
  out(`  events   ${n(report.events)}`);
  out(`  cleared  ${names.map((name) => `${name} ${n(report.cleared[name] ?? 0)} items`).join(', ')}`);
  out(`  applied  ${names.map((name) => `${name} ${n(report.applied[name] ?? 0)} commits`).join(', ')}`);
  const rate = report.seconds > 0 ? ` (${n(Math.round(report.events / report.seconds))} events/s)` : '';
  out(`  took     ${report.seconds.toFixed(2)} s${rate}`);
  if (report.failures.length === 0) return 0;
  out(`${report.failures.length} stream(s) could not be rebuilt:`);
  for (const f of report.failures) out(`  ${f.streamId} (${f.projection}): ${f.code}: ${f.message}`);
  return 1;
};
