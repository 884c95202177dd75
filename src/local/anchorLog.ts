/**
 * Anchors on one machine: one JSON line per anchored head in `anchors.jsonl` of the data folder, outside the
 * event table. Opened for appending only, and synced to disk before `record` returns, so a close the API
 * acknowledged has its anchor on disk. Without a data folder (tests) the anchors live in memory.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isAnchor, type Anchor, type AnchorStore } from '../eventstore/anchors';

export const ANCHOR_LOG_FILE = 'anchors.jsonl';

export const anchorLogPath = (dataDir: string) => join(dataDir, ANCHOR_LOG_FILE);

const sameHead = (a: Anchor, b: Anchor) => a.streamId === b.streamId && a.version === b.version && a.hash === b.hash;

export const createAnchorLog = (dataDir: string | undefined): AnchorStore => {
  const memory: Anchor[] = [];
  const file = dataDir === undefined ? undefined : anchorLogPath(dataDir);

  const readAll = (): Anchor[] => {
    if (!file) return memory;
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, i) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          parsed = undefined;
        }
        if (!isAnchor(parsed)) throw new Error(`${file} line ${i + 1} is not an anchor; the anchor log was damaged.`);
        return parsed;
      });
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
      const fd = openSync(file, 'a', 0o600);
      try {
        writeSync(fd, `${JSON.stringify(clean)}\n`);
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
