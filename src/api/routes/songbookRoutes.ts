import type * as z from 'zod';
import { SONGBOOK_MAX_FILE_BYTES } from '../../songbook/limits';
import { importFile, SongbookFileError, type SongCheck } from '../../songbook/importFile';
import { BookConflictError } from '../../songbook/bookStore';
import type { SongIndex } from '../../songbook/searchIndex';
import { bookSongIdOf, foldText, type BookSong } from '../../songbook/songs';
import { createBoundedMap, type BoundedMap } from '../../boundedMap';
import type { RotationService } from '../../eventstore/rotationService';
import type { ApiDeps } from '../deps';
import { ApiError, notFound } from '../http/errors';
import { defineRoute, type Route } from '../http/route';
import {
  BookSongAnswer,
  BookSongBody,
  ImportedSongbook,
  LimitQuery,
  PopularSongs,
  SEARCH_LIMIT,
  SongbookCsv,
  SongbookJson,
  SongbookMatches,
  SongbookPage,
  SongbookQuery,
  type SongChoice,
} from '../contract/schemas';
import type { Song } from '../../aggregates/rotation';

const route = defineRoute<ApiDeps>();
const KJ = ['kj'] as const;
const ANYONE = ['kj', 'singer'] as const;

const limitOf = (query: { limit?: string }) => (query.limit ? Number(query.limit) : SEARCH_LIMIT.default);
const inBook = (song: BookSong) => ({
  bookSongId: song.bookSongId,
  title: song.title,
  artist: song.artist,
  ...(song.key !== undefined ? { key: song.key } : {}),
  ...(song.ref !== undefined ? { ref: song.ref } : {}),
});
const forSinger = ({ bookSongId, title, artist }: BookSong) => ({ bookSongId, title, artist });

/** Each line of an import is held to the schema of a single song; what it refuses is the line's reason. */
const songCheck =
  (schema: z.ZodType<z.output<typeof BookSongBody>>): SongCheck =>
  (candidate) => {
    const result = schema.safeParse(candidate, { reportInput: true });
    if (result.success) return { song: result.data };
    const issue = result.error.issues[0]!;
    const field = issue.path.length > 0 ? String(issue.path[0]) : '';
    if (issue.code === 'unrecognized_keys') return { reason: `unknown field ${issue.keys.map((k) => `\`${k}\``).join(', ')}` };
    const given = (candidate as Record<string, unknown>)[field];
    if (given === undefined || (typeof given === 'string' && given.trim() === '')) return { reason: `missing ${field}` };
    if (typeof given === 'string' && given.length > 200 && (field === 'title' || field === 'artist' || field === 'ref')) return { reason: `over-long ${field}` };
    return { reason: `${field ? `\`${field}\` ` : ''}${issue.message}` };
  };
export const checkLine = songCheck(BookSongBody);

const importBook = route(
  {
    method: 'PUT',
    path: '/songbook',
    summary: 'Import the songbook from a CSV or JSON file (replaces the book)',
    description:
      'Up to 200,000 songs. The answer counts the songs and lists the lines left out and why (malformed, missing title, over-long, duplicate). ' +
      'The file is read in the charset its Content-Type names, else as UTF-8; a file that is not UTF-8 and names no charset is read as Windows-1252 (what Excel writes as plain CSV). ' +
      'A file with no usable song is refused and the book stays as it was. ' +
      'Atomic: a search sees the old book or the new one, never part of it. In AWS, one request carries at most about 6 MB (API Gateway and Lambda limits): a larger file is refused with 413.',
    roles: KJ,
    upload: { maxBytes: SONGBOOK_MAX_FILE_BYTES, contentTypes: { 'text/csv': SongbookCsv, 'application/json': SongbookJson } },
    success: { status: 200, schema: ImportedSongbook },
    errors: [
      { status: 400, code: 'invalid-songbook-file' },
      { status: 409, code: 'conflict' },
    ],
  },
  async (request, { songbooks }) => {
    const { contentType, text } = request.body;
    let imported;
    try {
      imported = importFile(text, contentType === 'text/csv' ? 'csv' : 'json', checkLine);
    } catch (err) {
      if (err instanceof SongbookFileError) throw new ApiError(400, err.code, err.message);
      throw err;
    }
    await guarded(() => songbooks.replace(request.principal.sub, imported.songs, request.now));
    request.annotate({ songs: imported.songs.length, skipped: imported.skippedTotal });
    return { count: imported.songs.length, skipped: [...imported.skipped], skippedTotal: imported.skippedTotal };
  },
);

/** The same song (by title and artist) under another id: refused, naming the one already there. */
const alreadyInSongbook = (clash: BookSong) =>
  new ApiError(409, 'song-already-in-songbook', `“${clash.title}” by ${clash.artist} is already in the songbook (${clash.bookSongId}).`);

/** The KJ's book must hold the song a route names. */
const mustHold = (index: SongIndex, bookSongId: string): void => {
  if (!index.get(bookSongId)) throw notFound(`There is no song ${bookSongId} in your songbook.`);
};

const guarded = async <T>(write: () => Promise<T>): Promise<T> => {
  try {
    return await write();
  } catch (err) {
    if (err instanceof BookConflictError) throw new ApiError(409, 'conflict', err.message);
    throw err;
  }
};

const addSong = route(
  {
    method: 'POST',
    path: '/songbook/songs',
    summary: 'Add a song to the songbook',
    roles: KJ,
    body: BookSongBody,
    success: { status: 201, schema: BookSongAnswer },
    errors: [{ status: 409, code: 'song-already-in-songbook' }],
  },
  async (request, { songbooks }) => {
    const kjId = request.principal.sub;
    const index = await songbooks.index(kjId);
    const clash = index.find(request.body);
    if (clash) throw alreadyInSongbook(clash);
    // Its id from its title and artist, unless an edited song already holds that id.
    let bookSongId = bookSongIdOf(request.body);
    for (let n = 2; index.get(bookSongId); n++) bookSongId = bookSongIdOf({ title: `${request.body.title} ${n}`, artist: request.body.artist });
    await guarded(() => songbooks.put(kjId, { ...request.body, bookSongId }, request.now));
    return { bookSongId };
  },
);

const editSong = route(
  {
    method: 'PUT',
    path: '/songbook/songs/:bookSongId',
    summary: 'Change a song of the songbook',
    roles: KJ,
    body: BookSongBody,
    success: { status: 200, schema: BookSongAnswer },
    errors: [{ status: 409, code: 'song-already-in-songbook' }],
  },
  async (request, { songbooks }) => {
    const kjId = request.principal.sub;
    const bookSongId = request.params.bookSongId!;
    const index = await songbooks.index(kjId);
    mustHold(index, bookSongId);
    const clash = index.find(request.body);
    if (clash && clash.bookSongId !== bookSongId) throw alreadyInSongbook(clash);
    await guarded(() => songbooks.put(kjId, { ...request.body, bookSongId }, request.now));
    return { bookSongId };
  },
);

const deleteSong = route(
  {
    method: 'DELETE',
    path: '/songbook/songs/:bookSongId',
    summary: 'Take a song out of the songbook',
    roles: KJ,
    success: { status: 200, schema: BookSongAnswer },
  },
  async (request, { songbooks }) => {
    const kjId = request.principal.sub;
    const bookSongId = request.params.bookSongId!;
    mustHold(await songbooks.index(kjId), bookSongId);
    await guarded(() => songbooks.remove(kjId, bookSongId, request.now));
    return { bookSongId };
  },
);

const listBook = route(
  {
    method: 'GET',
    path: '/songbook',
    summary: 'The KJ’s own songbook: a page of it, or a search (best match first)',
    roles: KJ,
    query: SongbookQuery,
    success: { status: 200, schema: SongbookPage },
  },
  async ({ principal, query }, { songbooks }) => {
    const index = await songbooks.index(principal.sub);
    const q = query.q?.trim() ? query.q : undefined;
    const found = q ? index.search(q, limitOf(query)) : index.list(limitOf(query));
    return { songs: found.songs.map(inBook), total: found.total };
  },
);

/** The rotation's KJ and venue never change once it is open: kept per process after the first read. */
const owners = new WeakMap<RotationService, BoundedMap<string, { kjId: string; venue: string }>>();
export const rotationOwner = async (service: RotationService, rotationId: string): Promise<{ kjId: string; venue: string }> => {
  let known = owners.get(service);
  if (!known) owners.set(service, (known = createBoundedMap(10_000)));
  const cached = known.get(rotationId);
  if (cached) return cached;
  const log = await service.read(rotationId);
  if (!log || !log.state.kjId) throw notFound(`There is no rotation ${rotationId}.`);
  const owner = { kjId: log.state.kjId, venue: log.state.venue };
  known.set(rotationId, owner);
  return owner;
};

const searchRotationBook = route(
  {
    method: 'GET',
    path: '/rotations/:rotationId/songbook',
    summary: 'Search the rotation’s KJ’s songbook as you type: title and artist together, best match first',
    description: 'Prefix, typo-tolerant, accent- and case-insensitive: "dolly jol" finds “Jolene” by Dolly Parton.',
    roles: ANYONE,
    query: SongbookQuery,
    success: { status: 200, schema: SongbookMatches },
  },
  async ({ params, query }, { service, songbooks }) => {
    const { kjId } = await rotationOwner(service, params.rotationId!);
    const index = await songbooks.index(kjId);
    const q = query.q?.trim() ? query.q : undefined;
    // No count in this answer: the search may stop as soon as the first page cannot change.
    const found = q ? index.search(q, limitOf(query), { countAll: false }) : index.list(limitOf(query));
    return { songs: found.songs.map(forSinger) };
  },
);

const popular = route(
  {
    method: 'GET',
    path: '/rotations/:rotationId/songbook/popular',
    summary: 'The songs of the KJ’s book most sung at this venue (completed turns; `requests` counts them)',
    roles: ANYONE,
    query: LimitQuery,
    success: { status: 200, schema: PopularSongs },
  },
  async ({ params, query }, { service, songbooks }) => {
    const { kjId, venue } = await rotationOwner(service, params.rotationId!);
    const top = await songbooks.popular(kjId, foldText(venue), limitOf(query));
    return { songs: top.map(({ song, requests }) => ({ ...forSinger(song), requests })) };
  },
);

/** A song as sent to join or queue: typed in, or taken from the KJ's book (then the event records its id too). */
export const songFromChoice = async (
  deps: Pick<ApiDeps, 'service' | 'songbooks'>,
  rotationId: string,
  choice: SongChoice,
): Promise<{ song: Song; bookSongId?: string }> => {
  if (!('bookSongId' in choice)) return { song: choice };
  const { kjId } = await rotationOwner(deps.service, rotationId);
  const found = (await deps.songbooks.index(kjId)).get(choice.bookSongId);
  if (!found) throw new ApiError(422, 'song-not-in-songbook', `There is no song ${choice.bookSongId} in this KJ’s songbook.`);
  return { song: { title: found.title, artist: found.artist, ...(found.key !== undefined ? { key: found.key } : {}) }, bookSongId: found.bookSongId };
};

export const songbookRoutes: readonly Route<ApiDeps>[] = [importBook, addSong, editSong, deleteSong, listBook, searchRotationBook, popular];
