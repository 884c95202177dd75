import type { Song } from './contract';

export const songLine = (song: Song): string => {
  const key = song.key ? ` (key ${song.key > 0 ? '+' : ''}${song.key})` : '';
  return `“${song.title}” by ${song.artist}${key}`;
};

export const turnsAwayText = (turnsAway: number): string => (turnsAway === 1 ? "You're next" : `${turnsAway} turns away`);

export const waitText = (seconds: number): string => {
  if (seconds < 60) return 'any minute now';
  const minutes = Math.round(seconds / 60);
  return `about ${minutes} min`;
};

export const clockTime = (iso: string): string =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const minutesSeconds = (seconds: number): string =>
  `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
