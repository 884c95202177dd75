import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { commitHash } from '../../src/eventstore/commit';
import { commitOfItem, itemOfCommit } from '../../src/eventstore/commitItem';
import { withEmbeddedDynamo } from '../support/dynamo';
import { fixtureOn, playScriptedNight } from '../projections/support';
import { cli } from './support';

const dynamo = withEmbeddedDynamo();

describe('rotation audit', () => {
  beforeAll(async () => {
    await playScriptedNight(fixtureOn(dynamo).service, 'audited');
  });

  it('prints the night as sentences — when, who, what and why — then the queue at the end', async () => {
    const { code, stdout, stderr } = await cli(dynamo, ['audit', 'audited']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Rotation audited at The Blue Room, opened by kj-ann on Sat 21 Nov 2026');
    expect(lines[1]).toBe('17 commits, 17 events in the log; showing all of them. Times in UTC.');
    // Columns are padded; compare the words.
    const timeline = lines.slice(3, 20).map((l) => l.replace(/ +/g, ' ').trim());
    expect(timeline).toEqual([
      '#1 20:00:00 kj-ann (kj) opened the rotation at The Blue Room (fair placement, alerts 2 turns ahead, no-show after 120s, away after 2 no-shows, auto-advance off)',
      "#2 20:01:00 amy (singer) joined with 'amy one' by amy one artist (fair)",
      "#3 20:02:00 bo (singer) joined with 'bo one' by bo one artist (fair)",
      "#4 20:03:00 cy (singer) joined with 'cy one' by cy one artist (fair)",
      "#5 20:04:00 amy (singer) queued 'amy two' by amy two artist",
      '#6 20:05:00 bo (singer) asked to skip their next turn',
      "#7 20:06:00 kj-ann (kj) called AMY for 'amy one'",
      "#8 20:07:00 kj-ann (kj) started AMY's turn: 'amy one'",
      "#9 20:08:00 kj-ann (kj) completed AMY's turn: 'amy one' (1:00 on stage)",
      "#10 20:09:00 kj-ann (kj) called CY for 'cy one' (passed over BO: skip)",
      "#11 20:10:00 kj-ann (kj) started CY's turn: 'cy one'",
      "#12 20:11:00 kj-ann (kj) completed CY's turn: 'cy one' (1:00 on stage)",
      "#13 20:12:00 kj-ann (kj) called AMY for 'amy two'",
      "#14 20:13:00 wf (system) forfeited AMY's turn: no-show, 1 in a row ('amy two' back to the top of their list)",
      "#15 20:14:00 kj-ann (kj) called BO for 'bo one'",
      "#16 20:15:00 kj-ann (kj) started BO's turn: 'bo one'",
      "#17 20:16:00 kj-ann (kj) completed BO's turn: 'bo one' (1:00 on stage)",
    ]);
    expect(lines.slice(20)).toEqual([
      '',
      'Queue after event #17 (version 17), at 20:16:00:',
      '  status:   open',
      '  on stage: nobody',
      '  up next:',
      "     1. AMY — 'amy two' (no wait)",
      '  rotation order (current singer last):',
      '    - CY (active, 0 pending, 1 sung)',
      '    - AMY (active, 1 pending, 1 sung)',
      '    - BO (active, 0 pending, 1 sung)',
      '',
    ]);
  });

  it('--seq stops after that event and shows the queue as it stood', async () => {
    const { code, stdout } = await cli(dynamo, ['audit', 'audited', '--seq', '10']);
    expect(code).toBe(0);
    expect(stdout).toContain('showing events #1–#10.');
    expect(stdout).not.toContain('#11 ');
    expect(stdout).toContain('Queue after event #10 (version 10), at 20:09:00:');
    expect(stdout).toContain("on stage: CY — 'cy one' (called)");
    // AMY has sung once and has a song left; BO's skip was used on this call.
    expect(stdout).toMatch(/- AMY \(active, 1 pending, 1 sung\)/);
    expect(stdout).toMatch(/- BO \(active, 1 pending, 0 sung\)/);
  });

  it('--at shows the log as it stood at that time', async () => {
    const { code, stdout } = await cli(dynamo, ['audit', 'audited', '--at', '2026-11-21T20:07:30Z']);
    expect(code).toBe(0);
    expect(stdout).toContain('#8 ');
    expect(stdout).not.toContain('#9 ');
    expect(stdout).toContain('Queue after event #8 (version 8), at 20:07:30:');
    expect(stdout).toContain("on stage: AMY — 'amy one' (performing)");
    const before = await cli(dynamo, ['audit', 'audited', '--at', '2026-11-21T19:00:00Z']);
    expect(before).toMatchObject({ code: 1, stdout: '' });
    expect(before.stderr).toMatch(/had not been opened by 2026-11-21T19:00:00.000Z/);
  });

  it('list shows the rotations there are, with the ids audit takes', async () => {
    const { code, stdout } = await cli(dynamo, ['list']);
    expect(code).toBe(0);
    expect(stdout).toContain('audited  Sat 21 Nov 2026 20:00:00  The Blue Room (KJ kj-ann)\n');
  });

  it('says so when the rotation does not exist, and explains a wrong invocation', async () => {
    expect(await cli(dynamo, ['audit', 'no-such-night'])).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/There is no rotation no-such-night/) });
    expect(await cli(dynamo, ['audit'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/audit needs a rotation id/) });
    expect(await cli(dynamo, ['audit', 'audited', '--seq', 'x'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--seq must be an event number/) });
    expect(await cli(dynamo, ['audit', 'audited', '--seq', '3', '--at', '2026-11-21T20:00:00Z'])).toMatchObject({ code: 2 });
    expect(await cli(dynamo, ['replay'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/Unknown command "replay"/) });
  });
});

describe('rotation audit --verify', () => {
  /** Edits a stored commit in place, as someone with write access to the table could. */
  /** Rewrites the first event's song title in the stored item, and maybe its hash, keeping the item's stored form. */
  const editCommit = async (streamId: string, version: number, title: string, hash?: string) => {
    const Key = { streamId: { S: streamId }, version: { N: String(version) } };
    const { Item } = await dynamo.client.send(new GetItemCommand({ TableName: dynamo.tableNames.events, Key }));
    const commit = structuredClone(commitOfItem(Item!));
    (commit.events[0]!.data as { song: { title: string } }).song.title = title;
    await dynamo.client.send(new PutItemCommand({ TableName: dynamo.tableNames.events, Item: itemOfCommit({ ...commit, hash: hash ?? commit.hash }) }));
  };

  it('finds an intact chain intact, then names the first commit whose stored data was edited', async () => {
    const commits = await playScriptedNight(fixtureOn(dynamo).service, 'tampered');
    const intact = await cli(dynamo, ['audit', 'tampered', '--verify']);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain('Hash chain intact: 17 commits (versions 1–17), 17 events.');
    expect(intact.stdout).toContain(`Head hash: ${commits.at(-1)!.hash}`);

    // Someone rewrites history: CY's performance (commit 12) becomes a song she never sang.
    await editCommit('rotation#tampered', 12, 'Never Sang This');
    const broken = await cli(dynamo, ['audit', 'tampered', '--verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('Hash chain BROKEN at commit version 12 (events #12–#12, 20:11:00 by kj-ann).');
    expect(broken.stdout).toContain('it was edited after it was written');
    expect(broken.stdout).toContain('Commits 1–11 check out; nothing from version 12 on can be trusted.');
  });

  it('a forger who also fixes the edited commit’s own hash is caught at the next commit', async () => {
    const commits = await playScriptedNight(fixtureOn(dynamo).service, 'forged');
    const edited = structuredClone(commits[4]!);
    (edited.events[0]!.data as { song: { title: string } }).song.title = 'Forged';
    await editCommit('rotation#forged', 5, 'Forged', commitHash(edited));
    const result = await cli(dynamo, ['audit', 'forged', '--verify']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Hash chain BROKEN at commit version 6');
    expect(result.stdout).toContain("Its prevHash does not match version 5's hash");
  });
});
