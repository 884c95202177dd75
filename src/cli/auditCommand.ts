/** `rotation audit <id> [--seq N | --at ISO] [--verify]`: the night replayed from its commits, or its chain checked. */
import { queueView } from '../aggregates/rotation';
import { checkAnchors, checkHead, WHAT_VERIFY_PROVES, type Anchor, type ExpectedHead, type HeadFinding } from '../eventstore/anchors';
import { GENESIS_HASH, commitHash, verifyChain, type StoredCommit } from '../eventstore/commit';
import { streamIdFor } from '../eventstore/tables';
import type { CliRequest } from './args';
import type { Clock } from './clock';
import type { Connection } from './connect';
import { CliError } from './errors';
import { queueText } from './queueText';
import { buildTimeline } from './timeline';

type AuditRequest = Extract<CliRequest, { command: 'audit' }>;

export interface AuditIo {
  readonly out: (line: string) => void;
  readonly clock: Clock;
}

export const runAudit = async (connection: Connection, request: AuditRequest, io: AuditIo): Promise<number> => {
  const commits = await connection.store.readStream(streamIdFor(request.rotationId));
  if (commits.length === 0) {
    throw new CliError('not-found', `There is no rotation ${request.rotationId} in ${connection.where} (rotation list shows the ones there are).`, 1);
  }
  if (!request.verify) return timelineAudit(commits, request, io);
  const anchors = connection.anchors ? await connection.anchors.list(streamIdFor(request.rotationId)) : undefined;
  return verifyAudit(commits, { anchors, expectHead: request.expectHead }, io);
};

const timelineAudit = (commits: readonly StoredCommit[], request: AuditRequest, { out, clock }: AuditIo): number => {
  const until = request.until;
  // --at: the log as it stood then (commit times come from commands, so it is a prefix); --seq: up to that event.
  const shown = until && 'at' in until ? commits.slice(0, firstAfter(commits, until.at)) : commits;
  if (shown.length === 0) throw new CliError('not-found', `Rotation ${request.rotationId} had not been opened by ${until && 'at' in until ? until.at : ''}.`, 1);
  const timeline = buildTimeline(shown, until && 'seq' in until ? until.seq : undefined);
  const totalEvents = commits.reduce((n, c) => n + c.events.length, 0);
  const lastLine = timeline.lines.at(-1)!;
  const now = until && 'at' in until ? until.at : lastLine.at;

  out(`Rotation ${request.rotationId} at ${timeline.state.venue || '?'}, opened by ${commits[0]!.actor.id} on ${clock.day(commits[0]!.at)}`);
  const scope =
    timeline.lastSeq === totalEvents ? 'all of them' : `events #1–#${timeline.lastSeq}${until && 'at' in until ? ` (as at ${until.at})` : ''}`;
  out(`${commits.length} commits, ${totalEvents} events in the log; showing ${scope}. Times in ${clock.timeZone}.`);
  if (until && 'seq' in until && until.seq > totalEvents) out(`(The log ends at event #${totalEvents}.)`);
  out('');

  const seqWidth = String(timeline.lastSeq).length + 1;
  const whoWidth = Math.max(...timeline.lines.map((l) => l.who.length));
  let day = '';
  for (const line of timeline.lines) {
    if (clock.day(line.at) !== day) {
      if (day !== '') out(`— ${clock.day(line.at)} —`);
      day = clock.day(line.at);
    }
    out(`${`#${line.seq}`.padStart(seqWidth)}  ${clock.time(line.at)}  ${line.who.padEnd(whoWidth)}  ${line.what}`);
  }

  out('');
  out(`Queue after event #${timeline.lastSeq} (version ${timeline.version}), at ${clock.time(now)}:`);
  for (const line of queueText(queueView(timeline.state, { version: timeline.version, now }))) out(line);
  return 0;
};

const firstAfter = (commits: readonly StoredCommit[], at: string): number => {
  const limit = Date.parse(at);
  const index = commits.findIndex((c) => Date.parse(c.at) > limit);
  return index === -1 ? commits.length : index;
};

interface Heads {
  /** undefined: this store has no anchors to check (say so). */
  readonly anchors: readonly Anchor[] | undefined;
  readonly expectHead: ExpectedHead | undefined;
}

/**
 * The chain, then every anchor and the head the user noted: the chain shows an edit in the middle, the heads
 * recorded elsewhere show an edit at the end. Exit 1 if any of them fails.
 */
const verifyAudit = (commits: readonly StoredCommit[], heads: Heads, io: AuditIo): number => {
  const { out } = io;
  const chainOk = verifyChainAudit(commits, io);
  // Closing anchors the head: a closed rotation with none lost it (the close cut off before its anchor, or the
  // anchor removed), and then nothing shows an edit at the end of its log.
  const closed = commits.at(-1)?.events.some((e) => e.type === 'RotationClosed') ?? false;
  const unanchored = closed && heads.anchors !== undefined && heads.anchors.length === 0;
  const findings: HeadFinding[] = [
    ...checkAnchors(commits, heads.anchors ?? []),
    ...(unanchored
      ? [{ ok: false, message: 'No anchor, though the rotation is closed: its close was never anchored (the engine stopped in between?) or the anchor was removed, so the end of this log is unproven.' }]
      : []),
    ...(heads.expectHead ? [checkHead(commits, heads.expectHead, `Expected head ${heads.expectHead.hash.slice(0, 12)}…${heads.expectHead.version ? `@${heads.expectHead.version}` : ''}`)] : []),
  ];
  out('');
  if (heads.anchors === undefined) out('Anchors: none here (with --endpoint, set ANCHOR_BUCKET_NAME to check the anchor bucket).');
  else if (heads.anchors.length === 0 && !closed) out('Anchors: none for this rotation (it is anchored when it closes).');
  for (const finding of findings) out(`${finding.ok ? 'OK     ' : 'BROKEN '} ${finding.message}`);
  const headsOk = findings.every((f) => f.ok);
  out('');
  out(chainOk && headsOk ? 'Verified.' : 'NOT verified: see BROKEN above.');
  for (const line of WHAT_VERIFY_PROVES) out(line);
  return chainOk && headsOk ? 0 : 1;
};

/** Recomputes every hash; names the first commit that does not match and says which link broke. */
const verifyChainAudit = (commits: readonly StoredCommit[], { out, clock }: AuditIo): boolean => {
  const broken = verifyChain(commits);
  if (!broken) {
    const head = commits.at(-1)!;
    out(`Hash chain intact: ${commits.length} commits (versions 1–${head.version}), ${head.events.at(-1)!.seq} events.`);
    out(`Head hash: ${head.hash}@${head.version}  (note it; check later with --expect-head ${head.hash}@${head.version})`);
    return true;
  }
  const index = commits.indexOf(broken);
  const previous = commits[index - 1];
  const seqs = broken.events.length > 0 ? `events #${broken.events[0]!.seq}–#${broken.events.at(-1)!.seq}` : 'no events';
  out(`Hash chain BROKEN at commit version ${broken.version} (${seqs}, ${clock.time(broken.at)} by ${broken.actor?.id ?? '?'}).`);
  if (broken.version !== index + 1) {
    out(`  Expected version ${index + 1} here: a commit is missing or out of sequence.`);
  } else if (broken.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
    out(`  Its prevHash does not match ${previous ? `version ${previous.version}'s hash` : 'the genesis hash'}: the link was edited, or the commit before it was replaced.`);
  } else {
    out('  Its content no longer hashes to its stored hash: it was edited after it was written.');
    out(`  stored:     ${broken.hash}`);
    out(`  recomputed: ${commitHash(broken)}`);
  }
  out(`Commits 1–${broken.version - 1} check out; nothing from version ${broken.version} on can be trusted.`);
  return false;
};
