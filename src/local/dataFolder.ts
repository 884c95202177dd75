/**
 * The data folder is private to the engine: it holds contacts (phones, emails), the token secret and the KJ
 * passphrase. The folder is 0700 and every file in it 0600; small files are replaced whole (temp file, fsync,
 * rename), so a crash mid-write leaves the old content or the new one, never half of either.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CodedError } from '../codedError';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** The engine cannot start on this data folder as it is; the message says what to do. */
export class DataFolderError extends CodedError {
  override readonly code = 'data-folder-unusable' as const;
}

/**
 * Makes the folder (or tightens an existing one) and the files already in it private. LevelDB makes new files
 * all night long, so the process's umask is narrowed too: they are born 0600, never world-readable for a moment.
 */
export const makeDataFolderPrivate = (dir: string): void => {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
  process.umask(0o077);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) chmodSync(path, PRIVATE_DIR_MODE);
    else if (entry.isFile()) chmodSync(path, PRIVATE_FILE_MODE);
  }
};

/** Replaces `dir/name` with `content` atomically, 0600, synced to disk (file and folder) before returning. */
export const writePrivateFile = (dir: string, name: string, content: string): void => {
  const target = join(dir, name);
  const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'wx', PRIVATE_FILE_MODE);
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
};

/** The permission bits of a path (for tests and start-up checks). */
export const modeOf = (path: string): number => statSync(path).mode & 0o777;
