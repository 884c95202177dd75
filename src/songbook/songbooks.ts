import { createBoundedMap } from '../boundedMap';
import type { BookHead, BookStore } from './bookStore';
import { createSongIndex, type SongIndex } from './searchIndex';
import type { BookSong } from './songs';

/**
 * The songbooks as the API uses them: each KJ's book loaded once into a search index and kept per process
 * (per Lambda container), so a search is one in-memory lookup. A kept book is trusted for `freshForMs`, then its
 * head is read again (one small read) and the book reloaded only if it changed. Changes made through this object
 * update the kept index in place; a change is only kept once the store has it.
 */
export interface Songbooks {
  index(kjId: string): Promise<SongIndex>;
  replace(kjId: string, songs: readonly BookSong[], now: string): Promise<void>;
  /** Adds or replaces one song. */
  put(kjId: string, song: BookSong, now: string): Promise<void>;
  remove(kjId: string, bookSongId: string, now: string): Promise<void>;
  popular(kjId: string, venue: string, limit: number): Promise<{ song: BookSong; requests: number }[]>;
}

interface Kept {
  head: BookHead | null;
  index: SongIndex;
  checkedAt: number;
}

export const createSongbooks = ({
  store,
  freshForMs,
  maxBooks = 20,
  clock = Date.now,
}: {
  store: BookStore;
  /** On one machine every change goes through this object: Infinity. In AWS other containers write too. */
  freshForMs: number;
  maxBooks?: number;
  clock?: () => number;
}): Songbooks => {
  // Least recently used first out.
  const kept = createBoundedMap<string, Kept>(maxBooks);
  const loading = new Map<string, Promise<Kept>>();


  const load = (kjId: string): Promise<Kept> => {
    let pending = loading.get(kjId);
    if (!pending) {
      pending = (async () => {
        const book = await store.load(kjId);
        const entry = { head: book.head, index: createSongIndex(book.songs), checkedAt: clock() };
        kept.set(kjId, entry);
        return entry;
      })().finally(() => loading.delete(kjId));
      loading.set(kjId, pending);
    }
    return pending;
  };

  const current = async (kjId: string): Promise<Kept> => {
    const entry = kept.get(kjId);
    if (!entry) return load(kjId);
    if (clock() - entry.checkedAt < freshForMs) return entry;
    const head = await store.head(kjId);
    if (head?.revision === entry.head?.revision && head?.generation === entry.head?.generation) {
      entry.checkedAt = clock();
      return entry;
    }
    return load(kjId);
  };

  /** After our own edit: the kept index follows if it was at the revision just before, else it is reloaded next time. */
  const edited = async (kjId: string, head: BookHead, apply: (index: SongIndex) => void) => {
    const entry = kept.get(kjId);
    if (entry && entry.head?.generation === head.generation && (entry.head?.revision ?? 0) + 1 === head.revision) {
      apply(entry.index);
      entry.head = head;
    } else {
      kept.delete(kjId);
    }
  };

  return {
    index: async (kjId) => (await current(kjId)).index,
    async replace(kjId, songs, now) {
      // Built before the head flips, then swapped in at once: a search sees the old book or the new one.
      const index = createSongIndex(songs);
      const head = await store.replace(kjId, songs, now);
      kept.set(kjId, { head, index, checkedAt: clock() });
    },
    async put(kjId, song, now) {
      await current(kjId);
      const head = await store.edit(kjId, song.bookSongId, song, now);
      await edited(kjId, head, (index) => index.put(song));
    },
    async remove(kjId, bookSongId, now) {
      await current(kjId);
      const head = await store.edit(kjId, bookSongId, null, now);
      await edited(kjId, head, (index) => index.remove(bookSongId));
    },
    async popular(kjId, venue, limit) {
      const index = (await current(kjId)).index;
      // Songs since deleted from the book are left out; a few extra counts cover them.
      const counts = await store.sungAt(kjId, venue, limit + 20);
      return counts
        .map(({ bookSongId, sung }) => ({ song: index.get(bookSongId), requests: sung }))
        .filter((entry): entry is { song: BookSong; requests: number } => entry.song !== undefined)
        .slice(0, limit);
    },
  };
};
