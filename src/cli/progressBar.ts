/**
 * Rebuild progress on stderr (stdout stays the report). On a terminal: one line redrawn in place, at most
 * ten times a second. Otherwise (a log, CI): a plain line every few seconds, so logs stay readable.
 */
import type { CatchUpProgress } from '../projections';

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressBar {
  update(progress: CatchUpProgress): void;
  done(): void;
}

const WIDTH = 30;

export const createProgressBar = (stream: ProgressStream, label: string, now: () => number = () => performance.now()): ProgressBar => {
  const tty = stream.isTTY === true;
  const interval = tty ? 100 : 5000;
  let last: CatchUpProgress | undefined;
  let lastDrawn = -Infinity;
  let drawn = false;

  const text = (p: CatchUpProgress) => {
    const share = p.streamsTotal === 0 ? 1 : p.streamsDone / p.streamsTotal;
    const counts = `${p.streamsDone}/${p.streamsTotal} streams, ${p.commits.toLocaleString('en-US')} commits, ${p.events.toLocaleString('en-US')} events`;
    if (!tty) return `${label}: ${Math.floor(share * 100)}% (${counts})`;
    const filled = Math.round(share * WIDTH);
    return `${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${counts}`;
  };
  const draw = (p: CatchUpProgress) => {
    lastDrawn = now();
    drawn = true;
    if (tty) stream.write(`\r${text(p).slice(0, Math.max(20, (stream.columns ?? 120) - 1))}\x1b[K`);
    else stream.write(`${text(p)}\n`);
  };

  return {
    update(progress) {
      last = progress;
      if (now() - lastDrawn >= interval) draw(progress);
    },
    done() {
      if (last && (tty || drawn)) draw(last); // the final figures, unless a log never needed a line
      if (tty && drawn) stream.write('\n');
    },
  };
};
