/**
 * A night's log as a person reads it: one line per event — when, who, what — with the reasons the log
 * records (who was passed over and why, no-shows in a row, overrides). Pure: commits in, lines out.
 */
import { evolve, initialRotationState, scanOrder, singerOf, type RotationEvent, type RotationState, type Song } from '../aggregates/rotation';
import type { StoredCommit } from '../eventstore/commit';

export interface TimelineLine {
  readonly seq: number;
  readonly version: number;
  readonly at: string;
  /** "kj-ann (kj)" */
  readonly who: string;
  readonly what: string;
}

export interface Timeline {
  readonly lines: readonly TimelineLine[];
  /** The state after the last event shown. */
  readonly state: RotationState;
  readonly version: number;
  readonly lastSeq: number;
}

export const buildTimeline = (commits: readonly StoredCommit[], untilSeq: number = Number.POSITIVE_INFINITY): Timeline => {
  let state = initialRotationState;
  let version = 0;
  let lastSeq = 0;
  const lines: TimelineLine[] = [];
  for (const commit of commits) {
    for (const stored of commit.events) {
      if (stored.seq > untilSeq) return { lines, state, version, lastSeq };
      const event = { type: stored.type, data: stored.data } as RotationEvent;
      const after = evolve(state, event);
      lines.push({
        seq: stored.seq,
        version: commit.version,
        at: commit.at,
        who: `${commit.actor.id} (${commit.actor.role})`,
        what: describe(event, state, after, commit.actor.id),
      });
      state = after;
      version = commit.version;
      lastSeq = stored.seq;
    }
  }
  return { lines, state, version, lastSeq };
};

const title = (song: Song) => `'${song.title}'`;
const titleBy = (song: Song) => `'${song.title}' by ${song.artist}${song.key ? ` (key ${song.key > 0 ? '+' : ''}${song.key})` : ''}`;

/** One event as a sentence whose subject is the actor shown beside it. */
export const describe = (event: RotationEvent, before: RotationState, after: RotationState, actorId: string): string => {
  const name = (id: string) => singerOf(before, id)?.displayName ?? singerOf(after, id)?.displayName ?? id;
  const self = (id: string) => id === actorId;
  switch (event.type) {
    case 'RotationOpened': {
      const s = event.data.settings;
      return (
        `opened the rotation at ${event.data.venue} (${s.placement} placement, alerts ${s.alertAheadTurns} turns ahead, ` +
        `no-show after ${s.noShowTimeoutSeconds}s, away after ${s.maxNoShows} no-shows, auto-advance ${s.autoAdvance ? 'on' : 'off'})`
      );
    }
    case 'SingerJoined': {
      const { singerId, song, placement, returning } = event.data;
      const where = returning && placement === 'back' ? 'back again: to the back of the rotation' : placement;
      return `${self(singerId) ? 'joined' : `added ${name(singerId)}`} with ${titleBy(song)} (${where})`;
    }
    case 'SongQueued':
      return `queued ${titleBy(event.data.song)}${self(event.data.singerId) ? '' : ` for ${name(event.data.singerId)}`}`;
    case 'SongWithdrawn': {
      const { singerId, songId } = event.data;
      const song = singerOf(before, singerId)?.songs.find((p) => p.songId === songId)?.song;
      return `withdrew ${song ? title(song) : `song ${songId}`}${self(singerId) ? '' : ` of ${name(singerId)}`}`;
    }
    case 'SkipRequested':
      return self(event.data.singerId) ? 'asked to skip their next turn' : `set ${name(event.data.singerId)} to skip their next turn`;
    case 'SingerWentAway': {
      const { singerId, reason } = event.data;
      if (reason === 'no-shows') return `${name(singerId)} set away after ${before.settings.maxNoShows} no-shows in a row`;
      return self(singerId) ? 'stepped away' : `set ${name(singerId)} away`;
    }
    case 'SingerCameBack':
      return self(event.data.singerId) ? 'came back' : `brought ${name(event.data.singerId)} back`;
    case 'SingerLeft':
      return event.data.reason === 'removed' ? `removed ${name(event.data.singerId)}` : self(event.data.singerId) ? 'left the rotation' : `${name(event.data.singerId)} left`;
    case 'SingerConfirmed':
      return 'confirmed the spot the KJ added them to (alerts on)';
    case 'SingerMoved':
      return `moved ${name(event.data.singerId)} to place ${event.data.position + 1} in the rotation (KJ override)`;
    case 'TurnCalled': {
      const { singerId, song, skipsUsed } = event.data;
      const passed = passedOver(before, singerId, skipsUsed);
      const notes = [
        ...(passed.length > 0 ? [`passed over ${passed.map(([id, why]) => `${name(id)}: ${why}`).join(', ')}`] : []),
        ...(skipsUsed.includes(singerId) ? [`${name(singerId)}'s own skip used up: nobody else could sing`] : []),
      ];
      return `called ${name(singerId)} for ${title(song)}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
    }
    case 'TurnStarted':
      return `started ${name(event.data.singerId)}'s turn: ${before.currentTurn ? title(before.currentTurn.song) : 'on stage'}`;
    case 'TurnCompleted':
      return `completed ${name(event.data.singerId)}'s turn: ${title(event.data.song)} (${duration(event.data.durationSeconds)} on stage)`;
    case 'TurnForfeited': {
      const { singerId, reason } = event.data;
      const song = before.currentTurn ? ` (${title(before.currentTurn.song)} back to the top of their list)` : '';
      if (reason === 'no-show') {
        const inARow = (singerOf(before, singerId)?.consecutiveNoShows ?? 0) + 1;
        return `forfeited ${name(singerId)}'s turn: no-show, ${inARow} in a row${song}`;
      }
      return `${name(singerId)}'s turn ended: ${reason === 'closed' ? 'the rotation closed' : reason === 'removed' ? 'removed' : 'they left'}`;
    }
    case 'TurnSkipped': {
      const { singerId, reason } = event.data;
      return `${name(singerId)}'s called turn skipped (${reason === 'away' ? 'they went away' : 'they asked to skip'}; the song goes back first)`;
    }
    case 'RotationClosed':
      return 'closed the rotation';
  }
};

/** Who the call went past, in scan order, and why: the log records skips; away and song-less follow from the state. */
const passedOver = (before: RotationState, calledId: string, skipsUsed: readonly string[]): [string, string][] => {
  const order = scanOrder(before);
  // A lone skipper is called on the second time round: then everyone else was passed over.
  const scanned = skipsUsed.includes(calledId) ? order.filter((id) => id !== calledId) : order.slice(0, Math.max(0, order.indexOf(calledId)));
  return scanned.map((id) => {
    const singer = singerOf(before, id);
    const why = skipsUsed.includes(id) ? 'skip' : singer?.status === 'away' ? 'away' : singer?.songs.length === 0 ? 'no songs' : 'passed';
    return [id, why];
  });
};

const duration = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
