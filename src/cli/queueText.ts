/** The queue view of API.md as a few lines of text. */
import type { QueueView } from '../aggregates/rotation';

const wait = (seconds: number) => (seconds === 0 ? 'no wait' : seconds < 60 ? `wait ${seconds}s` : `wait ~${Math.round(seconds / 60)} min`);

export const queueText = (view: QueueView): string[] => {
  const lines: string[] = [];
  lines.push(`  status:   ${view.status}`);
  lines.push(
    view.current
      ? `  on stage: ${view.current.displayName} — '${view.current.song.title}' (${view.current.state})`
      : '  on stage: nobody',
  );
  if (view.upcoming.length === 0) lines.push('  up next:  nobody eligible');
  else {
    lines.push('  up next:');
    for (const u of view.upcoming) {
      lines.push(`    ${String(u.turnsAway).padStart(2)}. ${u.displayName} — '${u.song.title}' (${wait(u.estimatedWaitSeconds)})`);
    }
  }
  if (view.singers.length > 0) {
    lines.push('  rotation order (current singer last):');
    for (const s of view.singers) {
      const notes = [s.status, `${s.pendingSongs} pending`, `${s.turnsCompleted} sung`, ...(s.skipNext ? ['skips next'] : [])];
      lines.push(`    - ${s.displayName} (${notes.join(', ')})`);
    }
  }
  return lines;
};
