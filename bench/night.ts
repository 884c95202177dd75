/** One busy 14-singer rotation night, as commands decided as it goes: shared by bench:replay and bench:fold. */
import type { Actor, RotationCommand, RotationState } from '../src/aggregates/rotation';

export const SINGERS = 14;

const KJ: Actor = { id: 'kj-bench', role: 'kj' };
const singer = (i: number): Actor => ({ id: `singer-${i}`, role: 'singer' });

/**
 * The commands of one busy night, decided as it goes so every one is accepted: singers join and keep two
 * songs queued, turns are called, started and completed, with skips, no-shows and breaks along the way.
 */
export function* night(rotationId: string, state: () => RotationState): Generator<RotationCommand> {
  let minute = 0;
  const at = () => new Date(Date.UTC(2026, 10, 21, 19) + ++minute * 20_000).toISOString();
  yield { type: 'OpenRotation', rotationId, venue: `Bench Bar ${rotationId}`, settings: { autoAdvance: false, maxPendingSongs: 4 }, actor: KJ, at: at() };
  for (let i = 0; i < SINGERS; i++) {
    yield { type: 'JoinRotation', singerId: singer(i).id, displayName: `Singer ${i}`, songId: `s${i}-0`, song: { title: `Song ${i}-0`, artist: 'Bench' }, actor: singer(i), at: at() };
  }
  for (let turn = 1; ; turn++) {
    const who = turn % SINGERS;
    const s = state().singers[singer(who).id];
    if (s && s.songs.length < 2) yield { type: 'QueueSong', singerId: s.singerId, songId: `s${who}-${turn}`, song: { title: `Song ${who}-${turn}`, artist: 'Bench' }, actor: singer(who), at: at() };
    if (turn % 7 === 0) yield { type: 'SkipTurn', singerId: singer((turn + 3) % SINGERS).id, actor: singer((turn + 3) % SINGERS), at: at() };
    if (turn % 11 === 0) yield { type: 'GoAway', singerId: singer((turn + 5) % SINGERS).id, actor: singer((turn + 5) % SINGERS), at: at() };
    if (turn % 11 === 4) yield { type: 'ComeBack', singerId: singer((turn + 1) % SINGERS).id, actor: singer((turn + 1) % SINGERS), at: at() };
    yield { type: 'CallNext', turnId: `t${turn}`, actor: KJ, at: at() };
    if (!state().currentTurn) continue;
    if (turn % 9 === 0) {
      yield { type: 'ForfeitTurn', turnId: `t${turn}`, actor: { id: 'turn-workflow', role: 'system' }, at: at() };
      continue;
    }
    yield { type: 'StartTurn', turnId: `t${turn}`, actor: KJ, at: at() };
    yield { type: 'CompleteTurn', turnId: `t${turn}`, actor: KJ, at: at() };
  }
}
