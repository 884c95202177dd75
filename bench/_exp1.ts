import MiniSearch from 'minisearch';
import { generateBook, keystrokes } from '../bench/songbookData';
import { foldText, bookSongIdOf } from '../src/songbook/songs';
const book = generateBook(100_000).map((s) => ({ ...s, bookSongId: bookSongIdOf(s) }));
let t = performance.now();
const ms = new MiniSearch({ idField: 'bookSongId', fields: ['title', 'artist'], tokenize: (s) => foldText(s).split(' '), processTerm: (t) => t || null });
ms.addAll(book);
console.log('build', performance.now() - t, 'heap', process.memoryUsage().heapUsed / 1e6);
const qs = ['dolly jol', 'jolene', 'a', 'lo', 'love', 'the b', 'beyonce hal', 'motley', 'wilie nelsn', 'tay swi', 'midnig tr'];
for (const q of qs.flatMap(keystrokes)) {
  for (const mode of ['all', 'tuned']) {
    const opts: any = mode === 'all' ? { prefix: true, fuzzy: 0.2, combineWith: 'AND', boost: { title: 2 } } :
      { prefix: (term: string, i: number, terms: string[]) => i === terms.length - 1 && term.length >= 2, fuzzy: (term: string) => term.length >= 4 ? 0.2 : false, maxFuzzy: 2, combineWith: 'AND', boost: { title: 2 } };
    t = performance.now();
    const r = ms.search(q, opts);
    const dt = performance.now() - t;
    if (dt > 5) console.log(mode, JSON.stringify(q), r.length, dt.toFixed(1));
  }
}
