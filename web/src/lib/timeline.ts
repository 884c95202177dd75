import type { AuditEvent, Song } from './contract';
import { minutesSeconds, songLine } from './format';

/** One line of the night's log, for a person: who did what. */
export interface TimelineEntry {
  readonly seq: number;
  readonly at: string;
  readonly text: string;
}

const placementText: Record<string, string> = {
  fair: 'at the end of this round',
  'full-rotation': 'after everyone else',
  next: 'to sing next',
};

const reasonText: Record<string, string> = {
  'no-show': 'no-show',
  left: 'they left',
  removed: 'removed by the KJ',
  closed: 'rotation closed',
  skip: 'they asked to skip',
  away: 'they stepped away',
};

/** Events carry singer ids; names come from the joins earlier in the same log. */
export const describeTimeline = (events: readonly AuditEvent[]): TimelineEntry[] => {
  const names = new Map<string, string>();
  const who = (id: unknown) => names.get(String(id)) ?? String(id);
  const byKj = (e: AuditEvent) => (e.actor.role === 'kj' ? ' (by the KJ)' : '');
  return events.map((e) => {
    const d = e.data as Record<string, unknown> & { song?: Song };
    if (e.type === 'SingerJoined') names.set(String(d.singerId), String(d.displayName));
    const text = ((): string => {
      switch (e.type) {
        case 'RotationOpened':
          return `Rotation opened at ${String(d.venue)}`;
        case 'SingerJoined':
          return `${who(d.singerId)} ${d.returning ? 'came back' : 'joined'} with ${songLine(d.song!)}, ${placementText[String(d.placement)] ?? String(d.placement)}${byKj(e)}`;
        case 'SongQueued':
          return `${who(d.singerId)} queued ${songLine(d.song!)}${byKj(e)}`;
        case 'SongWithdrawn':
          return `${who(d.singerId)} withdrew a song${byKj(e)}`;
        case 'SkipRequested':
          return `${who(d.singerId)} will skip their next turn${byKj(e)}`;
        case 'SingerWentAway':
          return d.reason === 'no-shows' ? `${who(d.singerId)} was set away after no-shows` : `${who(d.singerId)} stepped away${byKj(e)}`;
        case 'SingerCameBack':
          return `${who(d.singerId)} is back${byKj(e)}`;
        case 'SingerLeft':
          return d.reason === 'removed' ? `${who(d.singerId)} was removed by the KJ` : `${who(d.singerId)} left`;
        case 'SingerMoved':
          return `The KJ moved ${who(d.singerId)} to place ${Number(d.position) + 1}`;
        case 'TurnCalled': {
          const skipped = (d.skipsUsed as string[] | undefined) ?? [];
          const passed = skipped.length ? ` (passed over: ${skipped.map(who).join(', ')})` : '';
          return `${who(d.singerId)} was called up for ${songLine(d.song!)}${passed}`;
        }
        case 'TurnStarted':
          return `${who(d.singerId)} took the stage`;
        case 'TurnCompleted':
          return `${who(d.singerId)} sang ${songLine(d.song!)} (${minutesSeconds(Number(d.durationSeconds))})`;
        case 'TurnForfeited':
          return `${who(d.singerId)}'s turn was forfeited: ${reasonText[String(d.reason)] ?? String(d.reason)}`;
        case 'TurnSkipped':
          return `${who(d.singerId)}'s turn was skipped: ${reasonText[String(d.reason)] ?? String(d.reason)}`;
        case 'RotationClosed':
          return 'Rotation closed for the night';
        default:
          return e.type; // an event type newer than this page: still listed, by name
      }
    })();
    return { seq: e.seq, at: e.at, text };
  });
};
