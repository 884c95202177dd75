/**
 * Anchors on one machine: one JSON line per anchored head in `anchors.jsonl` of the data folder, outside the
 * event table. Opened for appending only (an unfinished last line, never acknowledged, is cut off first), and
 * synced to disk before `record` returns, so a close the API acknowledged has its anchor on disk. Without a data folder (tests) the anchors live in memory.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { isAnchor, type Anchor, type AnchorStore } from '../eventstore/anchors';
import { writeWhole } from './dataFolder';

export const ANCHOR_LOG_FILE = 'anchors.jsonl';

export const anchorLogPath = (dataDir: string) => join(dataDir, ANCHOR_LOG_FILE);

const sameHead = (a: Anchor, b: Anchor) => a.streamId === b.streamId && a.version === b.version && a.hash === b.hash;

const parseLine = (line: string): Anchor | undefined => {
  try {
    const parsed: unknown = JSON.parse(line);
    return isAnchor(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
};

export const createAnchorLog = (dataDir: string | undefined): AnchorStore => {
  const memory: Anchor[] = [];
  const file = dataDir === undefined ? undefined : anchorLogPath(dataDir);

  const readAll = (): Anchor[] => {
    if (!file) return memory;
    if (!existsSync(file)) return [];
    const lines = readFileSync(file, 'utf8').split('\n');
    // What follows the last newline is an append that never finished (a full disk, a power cut mid-write): it
    // was never acknowledged, so it is left out rather than called damage, which would fail every later close.
    const unfinished = lines.pop()!;
    const anchors = lines
      .map((line, i) => ({ line, number: i + 1 }))
      .filter(({ line }) => line.trim() !== '')
      .map(({ line, number }) => {
        const parsed = parseLine(line);
        if (!parsed) throw new Error(`${file} line ${number} is not an anchor; the anchor log was damaged.`);
        return parsed;
      });
    const last = unfinished.trim() === '' ? undefined : parseLine(unfinished);
    return last ? [...anchors, last] : anchors;
  };

  return {
    async record(anchor) {
      if (readAll().some((a) => sameHead(a, anchor))) return;
      const clean: Anchor = { streamId: anchor.streamId, version: anchor.version, hash: anchor.hash, anchoredAt: anchor.anchoredAt };
      if (!file) {
        memory.push(clean);
        return;
      }
      mkdirSync(dataDir!, { recursive: true });
      // An unfinished append is cut off first (or, whole but for its newline, finished), so the new anchor is a
      // line of its own and the log stays one anchor per line.
      let finish = '';
      if (existsSync(file)) {
        const bytes = readFileSync(file);
        const whole = bytes.lastIndexOf(0x0a) + 1;
        if (whole < bytes.length) {
          if (parseLine(bytes.subarray(whole).toString('utf8'))) finish = '\n';
          else truncateSync(file, whole);
        }
      }
      const fd = openSync(file, 'a', 0o600);
      try {
        // A record that returns is a whole line, never one the next append cuts off.
        writeWhole(fd, `${finish}${JSON.stringify(clean)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
    async list(streamId) {
      return readAll().filter((a) => a.streamId === streamId);
    },
  };
};
