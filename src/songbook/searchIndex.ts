import SearchableMap from 'minisearch/SearchableMap';
import { foldText, sameSongKey, type BookSong } from './songs';

/**
 * Search as you type over a book's titles and artists together: every word of the query must match a word of the
 * song (the last one as a prefix while it is being typed), exactly, or within one typo (two for words of six letters or more); two neighbouring letters swapped count as one typo.
 *
 * The term dictionary is MiniSearch's radix tree (prefix and typo-tolerant lookup); postings and scoring are ours.
 * MiniSearch's own search scores every document of every expanded term, which for a common word or a one-letter
 * prefix over 100,000 songs is tens of milliseconds. Here only the documents of the query's rarest word are
 * visited, each scored with typed-array lookups, and a bounded top-k is kept: a search stays in milliseconds.
 */

export interface SearchResult {
  readonly songs: readonly BookSong[];
  /** How many songs match in all (`songs` holds the best `limit` of them). */
  readonly total: number;
}

export interface SongIndex {
  readonly size: number;
  get(bookSongId: string): BookSong | undefined;
  /** The song with this title and artist (ignoring case, accents and punctuation), if the book has it. */
  find(song: Pick<BookSong, 'title' | 'artist'>): BookSong | undefined;
  /** The first `limit` songs in book order (a listing, no query). */
  list(limit: number): SearchResult;
  search(query: string, limit: number, options?: SearchOptions): SearchResult;
  /** Adds a song, or replaces the one with its id. */
  put(song: BookSong): void;
  remove(bookSongId: string): boolean;
}

/** Words beyond this many in a query are ignored: no one types more, and each costs a pass. */
const MAX_QUERY_TERMS = 6;
const TITLE_WEIGHT = 1;
const ARTIST_WEIGHT = 0.9;

const termsOf = (text: string): string[] => {
  const folded = foldText(text);
  return folded === '' ? [] : folded.split(' ');
};

/** How much a word of a song counts for a word of the query, by how it matched. */
const EXACT = 1;
const prefixQuality = (typed: number, full: number) => 0.7 + 0.2 * (typed / full);
const fuzzyQuality = (distance: number) => 0.65 - 0.15 * distance;
/** A match at the start of the title or the artist is what a person types first. */
const START_BONUS = 0.05;
/**
 * As-you-type search (not counting every match) visits at most this many songs once it has a full page: a
 * one-letter prefix has tens of thousands of songs, most of them equally poor matches.
 */
const VISIT_BUDGET = 3000;
/** With fewer words, one unmatched word is half the query: that is a different search, not a typo. */
const RELAX_FROM_WORDS = 3;
const SHORT_BONUS = 0.02;

export interface SearchOptions {
  /**
   * Count every match (`total`), which means visiting every song that has the rarest word. As-you-type search
   * does not need the count, and stops as soon as nothing left can rank among the first `limit`.
   */
  readonly countAll?: boolean;
}

interface Expanded {
  /** Matching dictionary word id → how well it matches. */
  readonly quality: ReadonlyMap<number, number>;
  /** An upper bound of the songs that have one of those words. */
  readonly documents: number;
}

export const createSongIndex = (songs: Iterable<BookSong> = []): SongIndex => {
  const dictionary = new SearchableMap<number>();
  const postings: number[][] = [];
  const docs: (BookSong | undefined)[] = [];
  const docOf = new Map<string, number>();
  const docOfSong = new Map<string, number>();
  // Per document: its term ids (title first, then artist) and how many of them are the title's.
  const docTerms: Int32Array[] = [];
  const titleTerms: number[] = [];
  let alive = 0;
  // Reused per search: a stamp per document marks it seen in this search, without clearing an array each time.
  let stamps = new Uint32Array(1024);
  let stamp = 0;

  const termId = (term: string): number => {
    let id = dictionary.get(term);
    if (id === undefined) {
      id = postings.length;
      dictionary.set(term, id);
      postings.push([]);
    }
    return id;
  };

  const add = (song: BookSong) => {
    const doc = docs.length;
    const title = termsOf(song.title).map(termId);
    const artist = termsOf(song.artist).map(termId);
    const all = Int32Array.from([...title, ...artist]);
    for (const id of new Set(all)) postings[id]!.push(doc);
    docs.push(song);
    docTerms.push(all);
    titleTerms.push(title.length);
    docOf.set(song.bookSongId, doc);
    docOfSong.set(sameSongKey(song), doc);
    alive++;
  };

  /**
   * A word's songs ordered as a one-word search ranks them: where the word sits (the start of the title, the title,
   * the start of the artist, the artist), then the fewest words. A bucket sort, linear in the list. Visiting a list
   * from the front visits the best matches first, so a search that need not count every match can stop early.
   * Songs added later by an edit go at the end: few, and only a little out of place.
   */
  const bestPlacedFirst = (id: number, list: number[]): number[] => {
    if (list.length < 2) return list;
    const bucketOf = (doc: number) => {
      const terms = docTerms[doc]!;
      const inTitle = titleTerms[doc]!;
      let place = 3;
      for (let t = 0; t < terms.length; t++) {
        if (terms[t] !== id) continue;
        place = Math.min(place, t === 0 ? 0 : t < inTitle ? 1 : t === inTitle ? 2 : 3);
      }
      return place * 16 + Math.min(15, terms.length);
    };
    const buckets: number[][] = Array.from({ length: 64 }, () => []);
    for (const doc of list) buckets[bucketOf(doc)]!.push(doc);
    return buckets.flat();
  };

  const remove = (bookSongId: string): boolean => {
    const doc = docOf.get(bookSongId);
    if (doc === undefined) return false;
    // Postings keep the number; a removed document is skipped when met. Edits are few next to an import.
    if (docOfSong.get(sameSongKey(docs[doc]!)) === doc) docOfSong.delete(sameSongKey(docs[doc]!));
    docs[doc] = undefined;
    docOf.delete(bookSongId);
    alive--;
    return true;
  };

  for (const song of songs) add(song);
  for (let id = 0; id < postings.length; id++) postings[id] = bestPlacedFirst(id, postings[id]!);

  /** Each query word's matching dictionary words with their quality, and an upper bound of its documents. */
  const expand = (term: string, asPrefix: boolean): Expanded => {
    const quality = new Map<number, number>();
    const exact = dictionary.get(term);
    if (exact !== undefined) quality.set(exact, EXACT);
    if (asPrefix) {
      for (const [word, id] of dictionary.atPrefix(term)) if (word !== term) quality.set(id, prefixQuality(term.length, word.length));
    }
    if (term.length >= 4) {
      for (const [word, [id, distance]] of dictionary.fuzzyGet(term, term.length >= 6 ? 2 : 1)) {
        const q = fuzzyQuality(distance);
        if (word !== term && (quality.get(id) ?? 0) < q) quality.set(id, q);
      }
    }
    // Two neighbouring letters swapped (the commonest slip on a phone) is one typo, though Levenshtein counts two.
    if (term.length >= 3) {
      const q = fuzzyQuality(1);
      for (let i = 0; i + 1 < term.length; i++) {
        if (term[i] === term[i + 1]) continue;
        const id = dictionary.get(term.slice(0, i) + term[i + 1] + term[i] + term.slice(i + 2));
        if (id !== undefined && (quality.get(id) ?? 0) < q) quality.set(id, q);
      }
    }
    let documents = 0;
    for (const id of quality.keys()) documents += postings[id]!.length;
    return { quality, documents };
  };

  const search = (query: string, limit: number, { countAll = true }: SearchOptions = {}): SearchResult => {
    const typed = termsOf(query).slice(0, MAX_QUERY_TERMS);
    if (typed.length === 0) return { songs: [], total: 0 };
    // The last word is still being typed unless the query ends with a space.
    const lastIsPrefix = !/\s$/u.test(query);
    const expanded = typed.map((term, i) => expand(term, lastIsPrefix && i === typed.length - 1));
    const exact = run(expanded, limit, 0, countAll);
    if (exact.songs.length >= limit || typed.length < RELAX_FROM_WORDS) return exact;
    // Too few songs have every word: one word too misspelt to match should not hide the song. Songs with all but
    // one word come after those with all.
    const near = run(expanded, limit, 1, countAll);
    const seen = new Set(exact.songs);
    const songs = [...exact.songs, ...near.songs.filter((song) => !seen.has(song))].slice(0, limit);
    // The two passes count disjoint songs: the second keeps only those missing a word.
    return { songs, total: exact.total + near.total };
  };

  /**
   * The best `limit` documents with at most `misses` of the query's words unmatched. The rarest words drive: only
   * documents of the `misses + 1` rarest are visited (a document missing at most that many words has one of them),
   * the other words are checked on each. Driving words are taken best match first (exact, then the shortest
   * completions, then typos); once the `limit`-th best score cannot be beaten by what is left, visiting stops,
   * unless every match must be counted.
   */
  const run = (expanded: readonly Expanded[], limit: number, misses: number, countAll: boolean): SearchResult => {
    const usable = expanded.filter((e) => e.quality.size > 0);
    if (expanded.length - usable.length > misses || usable.length === 0) return { songs: [], total: 0 };
    const allowed = misses - (expanded.length - usable.length);
    const order = usable.map((_, i) => i).sort((a, b) => usable[a]!.documents - usable[b]!.documents);
    // Term id → quality as typed arrays: the inner loop below runs for every visited document.
    const checks = order.map((i, n) => qualityTable(n, usable[i]!.quality));
    const drivers = order.slice(0, allowed + 1).flatMap((i) => [...usable[i]!.quality]).sort((a, b) => b[1] - a[1]);
    // The most any word can add beyond the driving one: its best match, in the title, at its start.
    const ceilings = order.map((i) => Math.max(...usable[i]!.quality.values()) * TITLE_WEIGHT + START_BONUS);
    const othersAtMost = ceilings.reduce((a, b) => a + b, 0) - Math.min(...ceilings);

    if (stamps.length < docs.length) stamps = new Uint32Array(Math.max(docs.length, stamps.length * 2));
    if (++stamp === 0xffffffff) {
      stamps.fill(0);
      stamp = 1;
    }
    const best: { doc: number; score: number }[] = [];
    let total = 0;
    let visited = 0;
    for (const [driverTerm, quality] of drivers) {
      if (!countAll && best.length === limit && best[limit - 1]!.score > quality * TITLE_WEIGHT + START_BONUS + othersAtMost + SHORT_BONUS) break;
      // Each list holds its best placed songs first: past a budget, what is left ranks at best alike.
      if (!countAll && best.length === limit && visited >= VISIT_BUDGET) break;
      for (const doc of postings[driverTerm]!) {
        if (!countAll && visited >= VISIT_BUDGET && best.length === limit) break;
        visited++;
        if (stamps[doc] === stamp) continue;
        stamps[doc] = stamp;
        if (docs[doc] === undefined) continue;
        // A word with no match at all is the miss already; else the song must miss one of the others.
        const score = scoreOf(doc, checks, allowed, misses > 0 && allowed === misses);
        if (score === 0) continue;
        total++;
        if (best.length < limit || score > best[best.length - 1]!.score) insert(best, { doc, score }, limit);
      }
    }
    for (let n = 0; n < checks.length; n++) for (const id of usable[order[n]!]!.quality.keys()) checks[n]![id] = 0;
    return { songs: best.map(({ doc }) => docs[doc]!), total };
  };

  // One zeroed table per query word, kept between searches (the entries a search sets, it clears afterwards).
  const tables: Float32Array[] = [];
  const qualityTable = (n: number, quality: ReadonlyMap<number, number>): Float32Array => {
    if (!tables[n] || tables[n]!.length < postings.length) tables[n] = new Float32Array(Math.max(1024, postings.length * 2));
    const table = tables[n]!;
    for (const [id, q] of quality) table[id] = q;
    return table;
  };

  /** The sum, over the query's words, of each one's best match in the song; 0 when a word matches nothing. */
  const scoreOf = (doc: number, checks: readonly Float32Array[], allowedMisses: number, mustMiss: boolean): number => {
    const terms = docTerms[doc]!;
    const inTitle = titleTerms[doc]!;
    let score = 0;
    let missed = 0;
    for (const quality of checks) {
      let bestOfWord = 0;
      for (let t = 0; t < terms.length; t++) {
        const q = quality[terms[t]!]!;
        if (q === 0) continue;
        const weighted = q * (t < inTitle ? TITLE_WEIGHT : ARTIST_WEIGHT) + (t === 0 || t === inTitle ? START_BONUS : 0);
        if (weighted > bestOfWord) bestOfWord = weighted;
      }
      if (bestOfWord === 0 && ++missed > allowedMisses) return 0;
      score += bestOfWord;
    }
    // The relaxed pass keeps only the songs the strict one could not find.
    if (mustMiss && missed === 0) return 0;
    // Of two songs that match as well, the one with fewer other words is the closer match.
    return score + SHORT_BONUS / terms.length;
  };

  return {
    get size() {
      return alive;
    },
    get: (bookSongId) => {
      const doc = docOf.get(bookSongId);
      return doc === undefined ? undefined : docs[doc];
    },
    find: (song) => {
      const doc = docOfSong.get(sameSongKey(song));
      return doc === undefined ? undefined : docs[doc];
    },
    list(limit) {
      const songs: BookSong[] = [];
      for (let doc = 0; doc < docs.length && songs.length < limit; doc++) if (docs[doc]) songs.push(docs[doc]!);
      return { songs, total: alive };
    },
    search,
    put(song) {
      remove(song.bookSongId);
      add(song);
    },
    remove,
  };
};

/** Keeps `best` sorted by score, highest first (then earlier in the book), at most `limit` long. */
const insert = (best: { doc: number; score: number }[], entry: { doc: number; score: number }, limit: number) => {
  let i = best.length;
  while (i > 0 && (best[i - 1]!.score < entry.score || (best[i - 1]!.score === entry.score && best[i - 1]!.doc > entry.doc))) i--;
  best.splice(i, 0, entry);
  if (best.length > limit) best.pop();
};
