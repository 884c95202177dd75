/**
 * The KJ passphrase of a data folder: the one thing that makes a KJ on one machine (API.md "Signing in on one
 * machine"). Made on first start, kept in the private data folder so `npm start` can print it every time, and
 * read again on every sign-in, so `rotation passphrase` changes it without a restart.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataFolderError, writePrivateFile } from './dataFolder';

export const PASSPHRASE_FILE = 'kj-passphrase';
/** No look-alikes (0/O, 1/I/L), so it can be read off a screen and typed on a phone. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const GROUPS = 4;
const GROUP_LENGTH = 4;
/** Shorter than this is refused by `rotation passphrase --set`: five wrong tries a minute must not find it. */
export const MIN_PASSPHRASE_LENGTH = 12;

/** Four groups of four: about 79 bits, e.g. `K7QM-4XPT-9HRW-Z3CE`. */
export const newPassphrase = (): string =>
  Array.from({ length: GROUPS }, () => Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')).join('-');

/** Case, spaces and dashes do not count: a KJ typing it on a phone should not fail on those. */
const normalize = (passphrase: string): string => passphrase.normalize('NFKC').replace(/[\s-]+/g, '').toUpperCase();

const digest = (passphrase: string) => createHash('sha256').update(normalize(passphrase)).digest();

/** Constant-time: the comparison does not tell how much of a guess was right. */
export const passphraseMatches = (given: string, actual: string): boolean => timingSafeEqual(digest(given), digest(actual));

export interface KjPassphrase {
  /** The current passphrase (read from the data folder each time). */
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
  if (!existsSync(file)) writePrivateFile(dataDir, PASSPHRASE_FILE, `${newPassphrase()}\n`);
  const current = () => {
    const value = readFileSync(file, 'utf8').trim();
    if (normalize(value).length < MIN_PASSPHRASE_LENGTH) {
      throw new DataFolderError(`The KJ passphrase in ${file} is too short. Run \`npx rotation passphrase\` to make a new one.`);
    }
    return value;
  };
  current(); // refuse to start on a broken one, not at the first sign-in
  return { current, matches: (given) => passphraseMatches(given, current()) };
};

/** `rotation passphrase`: a new passphrase (or the one given), written atomically; returns it. */
export const changePassphrase = (dataDir: string, chosen?: string): string => {
  const value = chosen ?? newPassphrase();
  if (normalize(value).length < MIN_PASSPHRASE_LENGTH) {
    throw new DataFolderError(`A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} letters or digits (dashes and spaces do not count).`);
  }
  writePrivateFile(dataDir, PASSPHRASE_FILE, `${value}\n`);
  return value;
};
