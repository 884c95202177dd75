/**
 * API.md "The songbook": a book holds up to 200,000 songs, and an import file is up to 20 MB. Kept apart from
 * the songbook's code (no Node modules here), since the API's schemas, and so the web pages' types, read them.
 */
export const SONGBOOK_MAX_SONGS = 200_000;
export const SONGBOOK_MAX_FILE_BYTES = 20 * 1024 * 1024;
/** The KJ's own reference of a song (disc and track, or a file name). */
export const SONG_REF_MAX = 100;
