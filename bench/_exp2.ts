import { generateBook, keystrokes } from './songbookData';
import { bookSongIdOf } from '../src/songbook/songs';
import { createSongIndex } from '../src/songbook/searchIndex';
const book = generateBook(100_000).map((s) => ({ ...s, bookSongId: bookSongIdOf(s) }));
const h0 = process.memoryUsage().heapUsed;
let t = performance.now();
const ix = createSongIndex(book);
console.log('build', performance.now() - t, 'heap', (process.memoryUsage().heapUsed - h0) / 1e6);
const qs = ['dolly jol', 'jolene', 'a', 'lo', 'love', 'the b', 'beyonce hal', 'motley', 'wilie nelsn', 'tay swi', 'midnig tr', 'the love', 'love the'];
const times: number[] = [];
for (let rep = 0; rep < 3; rep++) for (const q of qs.flatMap(keystrokes)) {
  t = performance.now();
  const r = ix.search(q, 20);
  const dt = performance.now() - t;
  times.push(dt);
  if (rep === 2 && dt > 3) console.log(JSON.stringify(q), r.total, dt.toFixed(1));
}
times.sort((a, b) => a - b);
console.log('p50', times[Math.floor(times.length / 2)], 'p99', times[Math.floor(times.length * 0.99)]);
console.log(ix.search('dolly jol', 5).songs);
console.log(ix.search('beyonce', 3).songs, ix.search('motley crue', 3).songs);
