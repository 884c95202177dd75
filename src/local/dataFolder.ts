/**
 * The data folder is private to the engine: it holds contacts (phones, emails), the token secret and the KJ
 * passphrase. The folder is 0700 and every file in it 0600; small files are replaced whole (temp file, fsync,
 * rename), so a crash mid-write leaves the old content or the new one, never half of either.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CodedError } from '../codedError';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** The engine cannot start on this data folder as it is; the message says what to do. */
export class DataFolderError extends CodedError {
  override readonly code = 'data-folder-unusable' as const;
}

/** Files only an engine's data folder has (its secret, passphrase, lock, anchor log, LevelDB's CURRENT). */
const ENGINE_FILES = ['dev-token-secret', 'kj-passphrase', 'engine.lock', 'anchors.jsonl', 'CURRENT'];

/**
 * Makes the folder (or tightens an existing one) and the files already in it private. LevelDB makes new files
 * all night long, so the process's umask is narrowed too: they are born 0600, never world-readable for a moment.
 * An existing folder with other things in it and none of the engine's files is refused untouched: `DATA_DIR=.`
 * or `$HOME` by mistake must not chmod someone's files and fill the folder with the store's.
 */
export const makeDataFolderPrivate = (dir: string): void => {
  try {
    const present = existingEntries(dir);
    if (present !== null && present.length > 0 && !present.some((name) => ENGINE_FILES.includes(name))) {
      throw new DataFolderError(
        `${dir} already holds other files (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}) and is not a data folder of this engine. ` +
          'Refusing to use it (nothing was changed): set DATA_DIR to a new or empty folder, e.g. DATA_DIR=.data.',
      );
    }
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    chmodSync(dir, PRIVATE_DIR_MODE);
    process.umask(0o077);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) chmodSync(path, PRIVATE_DIR_MODE);
      else if (entry.isFile()) chmodSync(path, PRIVATE_FILE_MODE);
    }
  } catch (err) {
    throw unwritable(dir, err) ?? err;
  }
};

/** A folder this user may not write (read-only disk, another user's folder, e.g. after `sudo npm start`) or a file, said in words. */
const unwritable = (dir: string, err: unknown): DataFolderError | null => {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'EROFS'
      ? 'it is on a read-only file system'
      : code === 'EACCES' || code === 'EPERM'
        ? 'this user may not write it (it may belong to another user)'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'it is a file, or inside one, not a folder'
          : null;
  if (why === null) return null;
  return new DataFolderError(
    `The data folder ${dir} cannot be used: ${why}. Refusing to start: make it writable by this user, or set DATA_DIR to another folder.`,
    { cause: err },
  );
};

/** The names in `dir`, or null when it does not exist yet. */
const existingEntries = (dir: string): string[] | null => {
  try {
    return readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
};

/**
 * The text of `dir/name`, or null when there is none. Only a regular file in the folder itself counts: a symlink
 * may point at a world-readable file (or /dev/zero, which never ends), and a FIFO or device is no file to keep a
 * secret in, so both are refused with `what` named in the message.
 */
export const readPrivateFile = (dir: string, name: string, what: string): string | null => {
  const path = join(dir, name);
  let fd: number;
  try {
    // O_NOFOLLOW: the check and the read are one step, so the file cannot be swapped for a link in between.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP' || lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) {
      throw new DataFolderError(`${what} ${path} is a symbolic link. Refusing to start: it must be a file of its own in the private data folder. Delete the link (a new one is made).`);
    }
    throw err;
  }
  try {
    if (!fstatSync(fd).isFile()) {
      throw new DataFolderError(`${what} ${path} is not a regular file. Refusing to start: delete it (a new one is made).`);
    }
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
};

/**
 * Writes all of `content` to `fd`: writeSync may write only part (a disk filling up returns a short count, not an
 * error), so the rest is written until done or refused (then it throws).
 */
export const writeWhole = (fd: number, content: string): void => {
  const bytes = Buffer.from(content);
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
};

/** Replaces `dir/name` with `content` atomically, 0600, synced to disk (file and folder) before returning. */
export const writePrivateFile = (dir: string, name: string, content: string): void => {
  const target = join(dir, name);
  const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'wx', PRIVATE_FILE_MODE);
    try {
      writeWhole(fd, content); // a truncated file is never renamed over the whole one
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
