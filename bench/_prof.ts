import { createSongIndex } from '../src/songbook/searchIndex';
import { bookSongIdOf } from '../src/songbook/songs';
import { generateBook, keystrokes, seededRandom } from './songbookData';
const random = seededRandom(7);
const songs = generateBook(100_000).map((s) => ({ ...s, bookSongId: bookSongIdOf(s) }));
const index = createSongIndex(songs);
const targets = ['dolly parton jolene'];
while (targets.length < 40) {
  const song = songs[Math.floor(random() * songs.length)]!;
  targets.push((random() < 0.5 ? `${song.artist.split(' ').pop()} ${song.title}` : song.title).toLowerCase());
}
const typed = targets.flatMap(keystrokes);
for (const q of typed) index.search(q, 20, { countAll: false });
const res: [number, string, number][] = [];
for (const q of typed) { let m = 1e9, n = 0; for (let k = 0; k < 5; k++) { const t = performance.now(); const r = index.search(q, 20, { countAll: false }); m = Math.min(m, performance.now() - t); n = r.total; } res.push([m, q, n]); }
res.sort((a, b) => b[0] - a[0]);
console.log(res.slice(0, 25).map(([t, q, n]) => `${t.toFixed(1)} ${JSON.stringify(q)} ${n}`).join('\n'));
