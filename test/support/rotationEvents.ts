import { DEFAULT_SETTINGS, event, type RecordedPlacement, type RotationSettings, type Song } from '../../src/aggregates/rotation';
import { KJ, T0 } from './rotationSpec';

/** Event builders for given/when/then tests: short to read, the same shapes the aggregate emits. */
export const song = (title: string): Song => ({ title, artist: `${title} artist` });

export const opened = (settings: Partial<RotationSettings> = {}) =>
  event('RotationOpened', {
    rotationId: 'r1',
    venue: 'The Blue Room',
    kjId: KJ.id,
    settings: { ...DEFAULT_SETTINGS, ...settings },
    openedAt: T0,
  });

export const joined = (singerId: string, placement: RecordedPlacement = 'fair', songId = `${singerId}-s1`, returning = false) =>
  event('SingerJoined', { singerId, displayName: singerId.toUpperCase(), songId, song: song(songId), placement, returning });

/** The same join, made by the KJ (API.md "Singers the KJ adds"). */
export const byKj = (joinedEvent: ReturnType<typeof joined>) => ({ ...joinedEvent, data: { ...joinedEvent.data, addedByKj: true as const } });

export const queued = (singerId: string, songId: string) => event('SongQueued', { singerId, songId, song: song(songId) });

export const called = (turnId: string, singerId: string, songId = `${singerId}-s1`, skipsUsed: string[] = []) =>
  event('TurnCalled', { turnId, singerId, songId, song: song(songId), calledAt: T0, skipsUsed });

export const started = (turnId: string, singerId: string, startedAt = T0) =>
  event('TurnStarted', { turnId, singerId, startedAt });

export const completed = (turnId: string, singerId: string, songId = `${singerId}-s1`, durationSeconds = 0) =>
  event('TurnCompleted', {
    turnId,
    singerId,
    songId,
    song: song(songId),
    startedAt: T0,
    completedAt: new Date(Date.parse(T0) + durationSeconds * 1000).toISOString(),
    durationSeconds,
  });

/** A turn called and completed: the shortest way to say "X sang". */
export const sang = (turnId: string, singerId: string, songId = `${singerId}-s1`) => [
  called(turnId, singerId, songId),
  completed(turnId, singerId, songId),
];
