import { parse } from 'csv-parse/sync';
import { SONGBOOK_MAX_SONGS } from './limits';
import { bookSongIdOf, type BookSong, type SongInput } from './songs';

/** One line of an import that did not become a song, and why (API.md "The songbook"). */
export interface SkippedLine {
  readonly line: number;
  readonly reason: string;
}

export interface ImportedBook {
  readonly songs: readonly BookSong[];
  /** The first MAX_REPORTED_SKIPS skipped lines; `skippedTotal` counts them all. */
  readonly skipped: readonly SkippedLine[];
  readonly skippedTotal: number;
}

/** A report is for a person to read and fix the file: the first thousand lines say what is wrong with it. */
export const MAX_REPORTED_SKIPS = 1000;

/** Checks one line's fields; the API passes its song schema, so a line is held to what `POST /songbook/songs` takes. */
export type SongCheck = (candidate: Record<string, unknown>) => { readonly song: SongInput } | { readonly reason: string };

/** A file that cannot be read as a songbook at all (no header, not JSON, no `songs` list). */
export class SongbookFileError extends Error {
  readonly code = 'invalid-songbook-file';
}

export const CSV_COLUMNS = ['title', 'artist', 'key', 'ref'] as const;

/**
 * A CSV (header `title,artist[,key][,ref]`) or a JSON `{"songs":[…]}` → the book, with every line that was left
 * out and why: malformed, refused by the song check (missing title, over-long, unsafe characters), a duplicate of
 * an earlier line (same title and artist, ignoring case, accents and punctuation), or beyond the book's size.
 * Line numbers are the file's (the header is line 1); for JSON, the position in `songs` (from 1).
 */
export const importFile = (text: string, format: 'csv' | 'json', check: SongCheck): ImportedBook => {
  const skipped: SkippedLine[] = [];
  let skippedTotal = 0;
  const skip = (line: number, reason: string) => {
    skippedTotal++;
    if (skipped.length < MAX_REPORTED_SKIPS) skipped.push({ line, reason });
  };
  const songs: BookSong[] = [];
  const firstLineOf = new Map<string, number>();
  const take = (line: number, candidate: Record<string, unknown>) => {
    const checked = check(candidate);
    if ('reason' in checked) return skip(line, checked.reason);
    const bookSongId = bookSongIdOf(checked.song);
    const first = firstLineOf.get(bookSongId);
    if (first !== undefined) return skip(line, `duplicate of line ${first} (same title and artist)`);
    if (songs.length >= SONGBOOK_MAX_SONGS) return skip(line, `the book holds at most ${SONGBOOK_MAX_SONGS.toLocaleString('en')} songs`);
    firstLineOf.set(bookSongId, line);
    songs.push({ ...checked.song, bookSongId });
  };
  if (format === 'json') readJson(text, take);
  else readCsv(text, take, skip);
  // A file with no usable song is a wrong file, not an empty book: replacing the book with it would wipe the
  // catalogue mid-night (and shut every singer out of a book-only rotation).
  if (songs.length === 0) {
    const first = skipped[0];
    throw new SongbookFileError(
      `No song could be read from this file${first ? ` (${skippedTotal} line${skippedTotal === 1 ? '' : 's'} left out; line ${first.line}: ${first.reason})` : ''}. Your songbook is unchanged.`,
    );
  }
  return { songs, skipped, skippedTotal };
};

const readJson = (text: string, take: (line: number, candidate: Record<string, unknown>) => void) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SongbookFileError('The file is not valid JSON.');
  }
  const songs = (parsed as { songs?: unknown } | null)?.songs;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Array.isArray(songs)) {
    throw new SongbookFileError('A JSON songbook is an object with a `songs` list: {"songs":[{"title":…,"artist":…}]}.');
  }
  songs.forEach((song, i) => take(i + 1, typeof song === 'object' && song !== null && !Array.isArray(song) ? song : { song }));
};

/**
 * A song's text never holds a line break (song text refuses control characters), so each line is one record: a
 * broken line (an unclosed quote) spoils only itself, never the rest of the file. Lines with quotes go through
 * csv-parse (RFC 4180 quoting); the others are plain comma-separated fields.
 */
const readCsv = (
  text: string,
  take: (line: number, candidate: Record<string, unknown>) => void,
  skip: (line: number, reason: string) => void,
) => {
  // Any line ending: LF, CRLF, or the lone CR of Excel's "CSV (Macintosh)" (song text never holds a CR).
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let header: string[] | undefined;
  // Excel in locales whose decimal mark is a comma saves "CSV" with semicolons: a header with no comma says so.
  let delimiter = ',';
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    let record: string[];
    try {
      if (!header && !raw.includes(',') && raw.includes(';')) delimiter = ';';
      record = raw.includes('"') ? parseLine(raw, delimiter) : raw.split(delimiter);
    } catch (err) {
      if (!header) throw new SongbookFileError(`The CSV header cannot be read: ${(err as Error).message}`);
      skip(line, `malformed: ${(err as Error).message.replace(/^Invalid [^:]*: /, '').replace(/ at line \d+\.?$/, '').replace(/\.$/, '')}`);
      continue;
    }
    if (!header) {
      header = record.map((name) => name.trim().toLowerCase());
      // A column with no name is left out: spreadsheets export empty columns as trailing commas ("title,artist,,").
      const named = header.filter((name) => name !== '');
      const unknown = named.filter((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
      if (!named.includes('title') || !named.includes('artist') || unknown.length > 0 || new Set(named).size !== named.length) {
        throw new SongbookFileError(`A CSV songbook starts with a header line naming its columns: title,artist[,key][,ref] (got ${header.join(',').slice(0, 200)}).`);
      }
      continue;
    }
    if (record.length !== header.length) {
      skip(line, `malformed: ${record.length} fields where the header has ${header.length}`);
      continue;
    }
    const candidate: Record<string, unknown> = {};
    header.forEach((name, f) => {
      const value = record[f]!;
      if (name === '') return;
      if (value.trim() === '' && (name === 'key' || name === 'ref')) return;
      candidate[name] = name === 'key' && /^[+-]?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
    });
    take(line, candidate);
  }
  if (!header) throw new SongbookFileError('A CSV songbook starts with a header line naming its columns: title,artist[,key][,ref].');
};

const parseLine = (raw: string, delimiter: string): string[] => {
  const records = parse(raw, { delimiter, relax_column_count: true, max_record_size: 64 * 1024 }) as string[][];
  if (records.length !== 1) throw new Error('not one record');
  return records[0]!;
};
