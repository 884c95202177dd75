import { isRejection } from '../../src/aggregates/decider';
import { rotationDecider, type RotationCommand, type RotationState } from '../../src/aggregates/rotation';
import { buildTimeline } from '../../src/cli/timeline';
import type { StoredCommit } from '../../src/eventstore/commit';
import { KJ, SYSTEM, singer } from '../support/rotationSpec';

type Body = Omit<RotationCommand, 'actor' | 'at'> & { actor?: RotationCommand['actor'] };

/** Runs commands through the decider and stores each result as a commit, as the command handler would. */
const commitsOf = (bodies: Body[]): StoredCommit[] => {
  let state: RotationState = rotationDecider.initialState;
  let seq = 0;
  return bodies.map((body, i) => {
    const command = { actor: KJ, at: new Date(Date.UTC(2026, 10, 21, 20, i)).toISOString(), ...body } as RotationCommand;
    const events = rotationDecider.decide(command, state);
    if (isRejection(events)) throw new Error(`command ${i + 1} (${command.type}) rejected: ${events.code}`);
    for (const e of events) state = rotationDecider.evolve(state, e);
    return {
      streamId: 'rotation#t', version: i + 1, commandId: `c${i + 1}`, actor: command.actor, at: command.at, prevHash: '', hash: '',
      events: events.map((e) => ({ seq: ++seq, type: e.type, schemaVersion: 1, data: e.data })),
    };
  });
};

const join = (id: string, extra: Record<string, unknown> = {}): Body =>
  ({ type: 'JoinRotation', singerId: id, displayName: id.toUpperCase(), songId: `${id}-1`, song: { title: `${id} one`, artist: 'X' }, actor: singer(id), ...extra }) as Body;
const whats = (commits: StoredCommit[]) => buildTimeline(commits).lines.map((l) => `${l.who}: ${l.what}`);

describe('audit timeline sentences', () => {
  it('a call names everyone it went past and why: away, skip, no songs', () => {
    const lines = whats(commitsOf([
      { type: 'OpenRotation', rotationId: 't', venue: 'Hall', settings: { autoAdvance: false } },
      join('amy'), join('bo'), join('cy'), join('dee'),
      { type: 'GoAway', singerId: 'amy', actor: singer('amy') },
      { type: 'SkipTurn', singerId: 'bo', actor: singer('bo') },
      { type: 'WithdrawSong', singerId: 'cy', songId: 'cy-1', actor: singer('cy') },
      { type: 'CallNext', turnId: 't1' },
    ] as Body[]));
    expect(lines.slice(5)).toEqual([
      'amy (singer): stepped away',
      'bo (singer): asked to skip their next turn',
      "cy (singer): withdrew 'cy one'",
      "kj-1 (kj): called DEE for 'dee one' (passed over AMY: away, BO: skip, CY: no songs)",
    ]);
  });

  it('a lone skipper is called on the second time round, and the line says so', () => {
    const lines = whats(commitsOf([
      { type: 'OpenRotation', rotationId: 't', venue: 'Hall', settings: { autoAdvance: false } },
      join('amy'), join('bo'),
      { type: 'GoAway', singerId: 'bo', actor: KJ },
      { type: 'SkipTurn', singerId: 'amy', actor: singer('amy') },
      { type: 'CallNext', turnId: 't1' },
    ] as Body[]));
    expect(lines.slice(3)).toEqual([
      'kj-1 (kj): set BO away',
      'amy (singer): asked to skip their next turn',
      "kj-1 (kj): called AMY for 'amy one' (passed over BO: away; AMY's own skip used up: nobody else could sing)",
    ]);
  });

  it('KJ overrides, no-shows that set a singer away, and a returning singer read as what happened', () => {
    const lines = whats(commitsOf([
      { type: 'OpenRotation', rotationId: 't', venue: 'Hall', settings: { autoAdvance: false, maxNoShows: 1 } },
      join('amy'), join('bo'), join('cy', { actor: KJ, placement: 'next' }),
      { type: 'MoveSinger', singerId: 'bo', position: 0 },
      { type: 'CallNext', turnId: 't1' },
      { type: 'ForfeitTurn', turnId: 't1', actor: SYSTEM },
      { type: 'CallNext', turnId: 't2' },
      { type: 'StartTurn', turnId: 't2' },
      { type: 'CompleteTurn', turnId: 't2' },
      { type: 'LeaveRotation', singerId: 'cy', actor: singer('cy') },
      join('cy', { songId: 'cy-2', song: { title: 'cy two', artist: 'X', key: -2 } }),
      { type: 'RemoveSinger', singerId: 'amy' },
      { type: 'CloseRotation' },
    ] as Body[]));
    expect(lines.slice(3)).toEqual([
      "kj-1 (kj): added CY with 'cy one' by X (next)",
      'kj-1 (kj): moved BO to place 1 in the rotation (KJ override)',
      "kj-1 (kj): called BO for 'bo one'",
      "turn-workflow (system): forfeited BO's turn: no-show, 1 in a row ('bo one' back to the top of their list)",
      'turn-workflow (system): BO set away after 1 no-shows in a row',
      "kj-1 (kj): called CY for 'cy one'",
      "kj-1 (kj): started CY's turn: 'cy one'",
      "kj-1 (kj): completed CY's turn: 'cy one' (1:00 on stage)",
      'cy (singer): confirmed the spot the KJ added them to (alerts on)',
      'cy (singer): left the rotation',
      "cy (singer): joined with 'cy two' by X (key -2) (back again: to the back of the rotation)",
      'kj-1 (kj): removed AMY',
      'kj-1 (kj): closed the rotation',
    ]);
  });
});
