import { callApi } from './api';
import type { BookSongAnswer, ImportedSongbook, PopularSongs, SongbookMatches } from './contract';
import { h, onPress } from './dom';

/** The songbook routes of API.md the pages use. */
export const songbookApi = (token: string) => ({
  search: (rotationId: string, q: string, limit = 8) =>
    callApi<SongbookMatches>('GET', `/rotations/${encodeURIComponent(rotationId)}/songbook?${new URLSearchParams({ q, limit: String(limit) })}`, { token }),
  popular: (rotationId: string, limit = 5) =>
    callApi<PopularSongs>('GET', `/rotations/${encodeURIComponent(rotationId)}/songbook/popular?limit=${limit}`, { token }),
  /** The KJ's whole book from a file: CSV or JSON, by its name. */
  importFile: async (file: File) =>
    callApi<ImportedSongbook>('PUT', '/songbook', {
      token,
      raw: { data: file, contentType: /\.json$/i.test(file.name) ? 'application/json' : 'text/csv' },
    }),
  add: (song: { title: string; artist: string; key?: number; ref?: string }) => callApi<BookSongAnswer>('POST', '/songbook/songs', { token, body: song }),
});

export type BookSong = SongbookMatches['songs'][number];

/**
 * A search box over the rotation's songbook: results as the singer types (debounced, and an answer to an older
 * query never replaces a newer one), each a button to tap.
 */
export const attachSongSearch = ({
  input,
  results,
  count,
  search,
  onPick,
  onError,
  debounceMs = 200,
}: {
  input: HTMLInputElement;
  results: HTMLElement;
  /** A status line that says how many songs were found (screen readers do not watch the list itself). */
  count: HTMLElement;
  search: (q: string) => Promise<SongbookMatches>;
  onPick: (song: BookSong, button: HTMLButtonElement) => void;
  onError: (message: string) => void;
  debounceMs?: number;
}) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  const run = async () => {
    const q = input.value.trim();
    const asked = ++latest;
    if (!q) {
      count.textContent = '';
      return results.replaceChildren();
    }
    try {
      const { songs } = await search(q);
      if (asked !== latest) return;
      count.textContent = songs.length === 0 ? 'No song found.' : songs.length === 1 ? '1 song found.' : `${songs.length} songs found.`;
      results.replaceChildren(
        ...(songs.length
          ? songs.map((song) => {
              const button = h(
                'button',
                { type: 'button', class: 'book-song', 'aria-label': `${song.title} by ${song.artist}` },
                h('span', { class: 'title' }, song.title),
                h('span', { class: 'meta' }, song.artist),
              );
              onPress(button, () => onPick(song, button));
              return h('li', {}, button);
            })
          : [h('li', { class: 'hint' }, 'No song in the book matches. Check the spelling, or try the artist.')]),
      );
    } catch (err) {
      if (asked === latest) onError(err instanceof Error ? err.message : String(err));
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  });
  return {
    clear() {
      latest++;
      input.value = '';
      count.textContent = '';
      results.replaceChildren();
    },
  };
};
