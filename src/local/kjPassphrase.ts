/**
 * The KJ passphrase of a data folder: the one thing that makes a KJ on one machine (API.md "Signing in on one
 * machine"). Made on first start, kept in the private data folder so `npm start` can print it every time, and
 * read again whenever the file changes, so `rotation passphrase` changes it without a restart.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { DataFolderError, readPrivateFile, writePrivateFile } from './dataFolder';

export const PASSPHRASE_FILE = 'kj-passphrase';
/** No look-alikes (0/O, 1/I/L), so it can be read off a screen and typed on a phone. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const GROUPS = 4;
const GROUP_LENGTH = 4;
/** Shorter than this is refused by `rotation passphrase --set`: five wrong tries a minute must not find it. */
export const MIN_PASSPHRASE_LENGTH = 12;
/** `aaaaaaaaaaaa` or `abababababab` is long enough and still the first thing a guesser tries. */
export const MIN_DISTINCT_CHARACTERS = 6;

/** Four groups of four: about 79 bits, e.g. `K7QM-4XPT-9HRW-Z3CE`. */
export const newPassphrase = (): string =>
  Array.from({ length: GROUPS }, () => Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')).join('-');

/** Case, spaces and dashes do not count: a KJ typing it on a phone should not fail on those. */
export const normalizePassphrase = (passphrase: string): string => passphrase.normalize('NFKC').replace(/[\s-]+/g, '').toUpperCase();

const digest = (passphrase: string) => createHash('sha256').update(normalizePassphrase(passphrase)).digest();

/** Constant-time: the comparison does not tell how much of a guess was right. */
export const passphraseMatches = (given: string, actual: string): boolean => timingSafeEqual(digest(given), digest(actual));

export interface KjPassphrase {
  /** The current passphrase; a DataFolderError when its file is missing or broken (the message says what to do). */
  current(): string;
  matches(given: string): boolean;
}

/** In memory (no data folder: tests) or the data folder's file, made on first use. */
export const kjPassphrase = (dataDir: string | undefined): KjPassphrase => {
  if (dataDir === undefined) {
    const value = newPassphrase();
    return { current: () => value, matches: (given) => passphraseMatches(given, value) };
  }
  const file = join(dataDir, PASSPHRASE_FILE);
  if (!lstatSync(file, { throwIfNoEntry: false })) writePrivateFile(dataDir, PASSPHRASE_FILE, `${newPassphrase()}\n`);
  // Read again only when the file changed (the CLI replaces it by rename: a new inode), so KJ requests, which
  // check their token against it, do not read a file each.
  let cached: { key: string; value: string } | null = null;
  const current = () => {
    const stat = lstatSync(file, { throwIfNoEntry: false });
    if (!stat) throw new DataFolderError(`The KJ passphrase file ${file} is missing. Run \`npx rotation passphrase\` to make a new one.`);
    const key = `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
    if (cached?.key === key) return cached.value;
    const value = (readPrivateFile(dataDir, PASSPHRASE_FILE, 'The KJ passphrase file') ?? '').trim();
    if (normalizePassphrase(value).length < MIN_PASSPHRASE_LENGTH) {
      throw new DataFolderError(`The KJ passphrase in ${file} is missing or too short. Run \`npx rotation passphrase\` to make a new one.`);
    }
    cached = { key, value };
    return value;
  };
  current(); // refuse to start on a broken one, not at the first sign-in
  return { current, matches: (given) => passphraseMatches(given, current()) };
};

/** `rotation passphrase`: a new passphrase (or the one given), written atomically; returns it. */
export const changePassphrase = (dataDir: string, chosen?: string): string => {
  const value = chosen ?? newPassphrase();
  const letters = normalizePassphrase(value);
  if (letters.length < MIN_PASSPHRASE_LENGTH) {
    throw new DataFolderError(`A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} letters or digits (dashes and spaces do not count).`);
  }
  if (new Set(letters).size < MIN_DISTINCT_CHARACTERS) {
    throw new DataFolderError(
      `That passphrase is too easy to guess: it needs at least ${MIN_DISTINCT_CHARACTERS} different letters or digits (case does not count). ` +
        'Run `npx rotation passphrase` without --set for a random one.',
    );
  }
  writePrivateFile(dataDir, PASSPHRASE_FILE, `${value}\n`);
  return value;
};
