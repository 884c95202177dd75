/**
 * The JSON of a queue view, the very text `JSON.stringify(renderQueueView(held, now))` gives (property tests
 * compare the two), built from pieces kept per object: a new state shares every singer, song and pending-song
 * object it did not change with the one before, so a version's JSON re-serializes only what that version
 * changed. Phones read the queue about as often as it changes during a rush, so nearly every version is
 * rendered once: building the view's objects and stringifying them cost most of a command's read share.
 */
import {
  averagePerformanceSeconds,
  openTurnRemainingSeconds,
  scanOrder,
  simulateUpcoming,
  singerOf,
  type RotationState,
  type SingerState,
  type Song,
} from '../aggregates/rotation';

/** What JSON.stringify writes for a number. */
const num = (n: number) => (Number.isFinite(n) ? String(n) : 'null');
const str = JSON.stringify as (text: string) => string;

const songs = new WeakMap<Song, string>();
const songJson = (song: Song): string => {
  let json = songs.get(song);
  if (json === undefined) songs.set(song, (json = JSON.stringify(song)));
  return json;
};

/** A singer's entry in `singers`, kept per singer object (never changed in place: evolve copies a changed one). */
const singerEntries = new WeakMap<SingerState, string>();
const singerEntry = (singerId: string, singer: SingerState): string => {
  let json = singerEntries.get(singer);
  if (json === undefined) {
    json = JSON.stringify({
      singerId,
      displayName: singer.displayName,
      status: singer.status,
      pendingSongs: singer.songs.length,
      turnsCompleted: singer.turnsCompleted,
      skipNext: singer.skipNext,
    });
    // Keyed by the object alone, so only when the entry's id is the singer's own (always, as evolve makes them).
    if (singer.singerId === singerId) singerEntries.set(singer, json);
  }
  return json;
};

/**
 * A singer's upcoming entry up to its turnsAway (`{"singerId":…,"displayName":…,"turnsAway":`), kept per singer
 * object: the displayName is the singer's own.
 */
const callHeads = new WeakMap<SingerState, string>();
const callHead = (singerId: string, singer: SingerState | undefined): string => {
  const known = singer && callHeads.get(singer);
  if (known !== undefined) return known;
  const head = `{"singerId":${str(singerId)},"displayName":${str(singer?.displayName ?? singerId)},"turnsAway":`;
  if (singer && singer.singerId === singerId) callHeads.set(singer, head);
  return head;
};

/** A song's upcoming entry from after the wait on (`,"song":{…}}`), kept per song object. */
const callTails = new WeakMap<Song, string>();
const callTail = (song: Song): string => {
  let tail = callTails.get(song);
  if (tail === undefined) callTails.set(song, (tail = `,"song":${songJson(song)}}`));
  return tail;
};

/** The pieces of a state's JSON that do not depend on the time. */
interface Parts {
  /** `{"rotationId":…` up to the field before `version`, with its trailing comma. */
  readonly head: string;
  readonly current: string;
  /** Per upcoming call: its JSON up to the turnsAway, the turnsAway, and its JSON after the wait. */
  readonly calls: readonly { readonly head: string; readonly turnsAway: number; readonly tail: string }[];
  readonly singers: string;
}
const parts = new WeakMap<RotationState, Parts>();

const partsOf = (state: RotationState): Parts => {
  const known = parts.get(state);
  if (known) return known;
  const turn = state.currentTurn;
  let head = `{"rotationId":${str(state.rotationId)},"venue":${str(state.venue)},"status":${state.status === 'closed' ? '"closed"' : '"open"'},`;
  if (state.joinCode) head += `"joinCode":${str(state.joinCode)},`;
  if (state.settings.songsFromBookOnly) head += '"songsFromBookOnly":true,';
  const entries = scanOrder(state).map((singerId) => singerEntry(singerId, singerOf(state, singerId)!));
  const made: Parts = {
    head,
    current: turn
      ? `{"turnId":${str(turn.turnId)},"singerId":${str(turn.singerId)},"displayName":${str(singerOf(state, turn.singerId)?.displayName ?? turn.singerId)},"song":${songJson(turn.song)},"state":${str(turn.state)}}`
      : 'null',
    calls: simulateUpcoming(state).map(({ singerId, turnsAway, song }) => ({
      head: callHead(singerId, singerOf(state, singerId)),
      turnsAway,
      tail: callTail(song),
    })),
    singers: `[${entries.join(',')}]`,
  };
  parts.set(state, made);
  return made;
};

/** A held view (src/projections/hotQueueViews.ts): the state, its version and the head hash the view carries. */
export interface HeldView {
  readonly state: RotationState;
  readonly version: number;
  readonly headHash?: string;
}

export const queueViewJson = ({ state, version, headHash }: HeldView, now: string): string => {
  const { head, current, calls, singers } = partsOf(state);
  const average = averagePerformanceSeconds(state);
  const remaining = openTurnRemainingSeconds(state, average, now);
  // One array joined once: a flat string, which the bytes are then encoded from without flattening a rope.
  const out: string[] = [head, '"version":', num(version), ',"current":', current, ',"upcoming":['];
  calls.forEach((call, i) => {
    if (i > 0) out.push(',');
    out.push(call.head, num(call.turnsAway), ',"estimatedWaitSeconds":', num(remaining + average * (call.turnsAway - 1)), call.tail);
  });
  out.push('],"singers":', singers, headHash === undefined ? '}' : `,"headHash":${str(headHash)}}`);
  return out.join('');
};
