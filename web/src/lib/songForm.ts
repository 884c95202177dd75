import type { Song } from './contract';
import { field } from './dom';

/** A song from a form with `title`, `artist` and an optional `key` field. */
export const songFrom = (data: FormData): Song => {
  const key = field(data, 'key');
  return { title: field(data, 'title'), artist: field(data, 'artist'), ...(key ? { key: Number(key) } : {}) };
};
