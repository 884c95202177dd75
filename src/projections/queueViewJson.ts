/**
 * The JSON of a queue view, the very text `JSON.stringify(renderQueueView(held, now))` gives (property tests
 * compare the two), built from pieces kept per object: a new state shares every singer, song and pending-song
 * object it did not change with the one before, so a version's JSON re-serializes only what that version
 * changed. Phones read the queue about as often as it changes during a rush, so nearly every version is
 * rendered once: building the view's objects and stringifying them cost most of a command's read share.
 *
 * The view's shape is view.ts's alone: each piece here is JSON.stringify of what view.ts's builders return,
 * with a few fields set to marker numbers no view holds, whose places are then filled per render (a template).
 */
import {
  assembleView,
  averagePerformanceSeconds,
  currentEntry,
  estimatedWait,
  openTurnRemainingSeconds,
  scanOrder,
  simulateUpcoming,
  singerEntry,
  singerOf,
  upcomingEntry,
  viewHead,
  withHeadHash,
  type RotationState,
  type SingerState,
  type Song,
} from '../aggregates/rotation';

/** What JSON.stringify writes for a number. */
const num = (n: number) => (Number.isFinite(n) ? String(n) : 'null');

/** Marker values of template fields: negative and fractional, so no count, time or version is one. */
const TURNS_AWAY = -0.7071067811865476;
const WAIT = -0.5772156649015329;
const UPCOMING = -0.6180339887498949;
const SINGERS = -0.5671432904097838;
/** Every marker, for tests that put them in names and titles. */
export const TEMPLATE_MARKERS = [TURNS_AWAY, WAIT, UPCOMING, SINGERS] as const;

/** JSON text cut where marker fields' values go: the texts around them, and which marker each gap is. */
interface Template {
  readonly texts: readonly string[];
  readonly gaps: readonly number[];
}

/**
 * Where `text` (`":<marker>`) starts as a key's end and its value: its quote is a real one, not an escaped quote
 * inside a string (a singer may name a song `T":-0.618…`). A quote preceded by an even number of backslashes is real.
 */
const valueAt = (json: string, text: string): number => {
  for (let at = json.indexOf(text); at >= 0; at = json.indexOf(text, at + 1)) {
    let backslashes = 0;
    while (json[at - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
};

/** Cuts `json` at the values of `markers`. */
const templateOf = (json: string, markers: readonly number[]): Template => {
  const found = markers.map((marker) => ({ marker, text: `":${JSON.stringify(marker)}` })).map((m) => ({ ...m, at: valueAt(json, m.text) }));
  if (found.some((m) => m.at < 0)) throw new Error('queue view JSON: a template field is missing');
  found.sort((a, b) => a.at - b.at);
  const texts: string[] = [];
  let from = 0;
  for (const { at, text } of found) {
    texts.push(json.slice(from, at + 2)); // up to and including `":`
    from = at + text.length;
  }
  texts.push(json.slice(from));
  return { texts, gaps: found.map((m) => m.marker) };
};

/** Appends a template to `out` with each marker's text from `fill`. */
const fillInto = (out: string[], { texts, gaps }: Template, fill: (marker: number) => string) => {
  out.push(texts[0]!);
  for (let i = 0; i < gaps.length; i++) out.push(fill(gaps[i]!), texts[i + 1]!);
};

/** A slot's `singers` entry, kept per singer object (never changed in place: evolve copies a changed one). */
const singerEntries = new WeakMap<SingerState, string>();
const singerJson = (singerId: string, singer: SingerState): string => {
  let json = singerEntries.get(singer);
  if (json === undefined) {
    json = JSON.stringify(singerEntry(singerId, singer));
    // Keyed by the object alone, so only when the entry's id is the singer's own (always, as evolve makes them).
    if (singer.singerId === singerId) singerEntries.set(singer, json);
  }
  return json;
};

/** An `upcoming` entry with its turnsAway and wait left open, kept per singer object and song. */
const callTemplates = new WeakMap<SingerState, { readonly song: Song; readonly template: Template }>();
const callTemplate = (state: RotationState, singerId: string, song: Song): Template => {
  const singer = singerOf(state, singerId);
  const known = singer && callTemplates.get(singer);
  if (known && known.song === song) return known.template;
  const entry = upcomingEntry({ singerId, turnsAway: TURNS_AWAY, song }, singer?.displayName ?? singerId, WAIT);
  const template = templateOf(JSON.stringify(entry), [TURNS_AWAY, WAIT]);
  if (singer && singer.singerId === singerId) callTemplates.set(singer, { song, template });
  return template;
};

/** What a state's JSON needs besides the time: its upcoming calls and its `singers` array's JSON. */
interface Parts {
  readonly calls: readonly { readonly template: Template; readonly turnsAway: number }[];
  readonly singers: string;
}
const parts = new WeakMap<RotationState, Parts>();

const partsOf = (state: RotationState): Parts => {
  const known = parts.get(state);
  if (known) return known;
  const made: Parts = {
    calls: simulateUpcoming(state).map(({ singerId, turnsAway, song }) => ({ template: callTemplate(state, singerId, song), turnsAway })),
    singers: `[${scanOrder(state)
      .map((singerId) => singerJson(singerId, singerOf(state, singerId)!))
      .join(',')}]`,
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

/** The whole view's JSON with `upcoming` and `singers` left open, kept per held view. */
const viewTemplates = new WeakMap<HeldView, Template>();
const viewTemplate = (held: HeldView): Template => {
  let template = viewTemplates.get(held);
  if (template === undefined) {
    const { state, version, headHash } = held;
    const view = withHeadHash(assembleView(viewHead(state), version, currentEntry(state), UPCOMING as never, SINGERS as never), headHash);
    viewTemplates.set(held, (template = templateOf(JSON.stringify(view), [UPCOMING, SINGERS])));
  }
  return template;
};

/** `JSON.stringify(renderQueueView(held, now))`, from the pieces. */
export const queueViewJson = (held: HeldView, now: string): string => {
  const { state } = held;
  const { calls, singers } = partsOf(state);
  const average = averagePerformanceSeconds(state);
  const remaining = openTurnRemainingSeconds(state, average, now);
  // One array joined once: a flat string, which the bytes are then encoded from without flattening a rope.
  const out: string[] = [];
  fillInto(out, viewTemplate(held), (marker) => {
    if (marker === SINGERS) return singers;
    const upcoming: string[] = ['['];
    calls.forEach(({ template, turnsAway }, i) => {
      if (i > 0) upcoming.push(',');
      fillInto(upcoming, template, (field) => num(field === TURNS_AWAY ? turnsAway : estimatedWait(remaining, average, turnsAway)));
    });
    upcoming.push(']');
    return upcoming.join('');
  });
  return out.join('');
};
