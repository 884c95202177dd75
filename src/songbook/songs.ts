import { createHash } from 'node:crypto';

/** A song of a KJ's book as the KJ gives it: `key` shifts the pitch, `ref` is the KJ's own disc or file reference. */
export interface SongInput {
  readonly title: string;
  readonly artist: string;
  readonly key?: number;
  readonly ref?: string;
}

export interface BookSong extends SongInput {
  readonly bookSongId: string;
}

/** Case, accents, punctuation and spacing do not make two songs different ("Beyoncé" = "beyonce"). */
export const foldText = (value: string): string =>
  value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

export const sameSongKey = (song: Pick<SongInput, 'title' | 'artist'>) => `${foldText(song.title)}\n${foldText(song.artist)}`;

/**
 * A song's id in the book, made from its folded title and artist: importing the same book again gives every song
 * the id it had, so a singer's request from the book stays valid across a re-import. Base32, URL-safe, 16 chars.
 */
export const bookSongIdOf = (song: Pick<SongInput, 'title' | 'artist'>): string => {
  const digest = createHash('sha256').update(sameSongKey(song)).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let id = 's';
  for (let i = 0; i < 15; i++) id += alphabet[digest[i]! & 31];
  return id;
};
