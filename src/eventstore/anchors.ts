/**
 * Anchors: a stream's head (version, hash, time) written somewhere the event table's writers cannot rewrite —
 * locally an append-only log in the data folder, in AWS an S3 bucket with Object Lock. The hash chain alone
 * shows an edit in the middle of the log; only a head recorded elsewhere shows an edit at its end: the last
 * commit changed and re-hashed, commits deleted from the end, or history rewritten and re-chained forward.
 */
import type { StoredCommit } from './commit';

export interface Anchor {
  readonly streamId: string;
  readonly version: number;
  readonly hash: string;
  /** When the head was anchored (ISO-8601). */
  readonly anchoredAt: string;
}

export interface AnchorStore {
  /** Records a head; recording the same (streamId, version, hash) again changes nothing. */
  record(anchor: Anchor): Promise<void>;
  /** Every anchor of the stream, oldest first. */
  list(streamId: string): Promise<Anchor[]>;
}

/** What a user noted from an answer: `<hash>` or `<hash>@<version>`. */
export interface ExpectedHead {
  readonly hash: string;
  readonly version?: number;
}

export const HASH_PATTERN = /^[0-9a-f]{64}$/;

export const isAnchor = (value: unknown): value is Anchor => {
  const a = value as Partial<Anchor> | null;
  return (
    typeof a === 'object' && a !== null &&
    typeof a.streamId === 'string' &&
    typeof a.version === 'number' && Number.isSafeInteger(a.version) && a.version >= 1 &&
    typeof a.hash === 'string' && HASH_PATTERN.test(a.hash) &&
    typeof a.anchoredAt === 'string'
  );
};

/** `<64 hex>` or `<64 hex>@<version>`; null if it is neither. */
export const parseExpectedHead = (text: string): ExpectedHead | null => {
  const m = /^([0-9a-fA-F]{64})(?:@(\d{1,9}))?$/.exec(text);
  if (!m) return null;
  const version = m[2] === undefined ? undefined : Number(m[2]);
  if (version !== undefined && version < 1) return null;
  return { hash: m[1]!.toLowerCase(), ...(version === undefined ? {} : { version }) };
};

export interface HeadFinding {
  /** A problem the log cannot explain away. */
  readonly ok: boolean;
  readonly message: string;
}

const short = (hash: string) => `${hash.slice(0, 12)}…`;

/** Compares the log with one recorded head (an anchor or a head the user noted). */
export const checkHead = (commits: readonly StoredCommit[], head: ExpectedHead, label: string): HeadFinding => {
  const last = commits.at(-1);
  if (head.version === undefined) {
    const found = commits.find((c) => c.hash === head.hash);
    if (!found) return { ok: false, message: `${label}: no commit has hash ${short(head.hash)}; the commit it named was edited, rewritten or deleted.` };
    const after = (last?.version ?? 0) - found.version;
    return { ok: true, message: `${label}: matches version ${found.version}${after > 0 ? `; ${after} commit(s) were added after it, which nothing but the chain covers` : ', the head'}.` };
  }
  const at = commits.find((c) => c.version === head.version);
  if (!at) {
    return {
      ok: false,
      message: `${label}: version ${head.version} (${short(head.hash)}) is missing; the log ends at version ${last?.version ?? 0}, so commits were deleted from its end.`,
    };
  }
  if (at.hash !== head.hash) {
    return {
      ok: false,
      message: `${label}: version ${head.version} now hashes to ${short(at.hash)}, not ${short(head.hash)}; history up to it was edited and re-hashed (or rewritten and re-chained).`,
    };
  }
  const after = (last?.version ?? 0) - head.version;
  return { ok: true, message: `${label}: version ${head.version} matches${after > 0 ? `; ${after} commit(s) after it are covered by nothing but the chain` : ' (the head)'}.` };
};

/** Every anchor of the stream checked against the log, oldest first. */
export const checkAnchors = (commits: readonly StoredCommit[], anchors: readonly Anchor[]): HeadFinding[] =>
  anchors.map((a) => checkHead(commits, a, `Anchor of version ${a.version} (${a.anchoredAt})`));

/** Said by every --verify, whatever it found: what the checks above can and cannot show. */
export const WHAT_VERIFY_PROVES = [
  'What this proves: every commit hashes to its stored hash and names the one before it, so no single commit was',
  'edited without rewriting every commit after it; and each anchor, and the head you gave, still matches.',
  'What it does not prove: anything after the newest anchor or the head you gave. Whoever can write the event',
  'table can edit the last commit and re-hash it, delete commits from the end, or rewrite history from any point',
  'and re-chain it forward; the chain stays intact. Only a head recorded elsewhere catches that: the anchors',
  '(written when a rotation closes) and a head hash you noted from an answer (--expect-head <hash>[@version]).',
  'A local anchor log is only as safe as the data folder it lives in; in AWS the anchors are in an S3 bucket with',
  'Object Lock, which nobody can rewrite during its retention.',
];

/** Names the CDK app and the code share (infra imports these). */
export const ANCHORS_BUCKET = {
  /** The API function's environment variable holding the bucket's name. */
  envVar: 'ANCHOR_BUCKET_NAME',
  /** Object keys: `anchors/<streamId>/<version>-<hash>.json`. */
  keyPrefix: 'anchors/',
  /** Object Lock default retention: how long nobody (not even the account root, in compliance mode) can rewrite an anchor. */
  retentionDays: 400,
} as const;
