/**
 * A generated songbook and as-you-type queries for bench/songbook.ts: deterministic (a seeded generator), so two
 * runs measure the same book. Titles and artists are drawn from word lists with a skewed (Zipf-like) choice, as
 * real catalogues repeat a few words ("love", "the") far more than the rest, with some accented names.
 */
import { bookSongIdOf, type SongInput } from '../src/songbook/songs';

const TITLE_WORDS = (
  'love heart night baby girl time life world dream fire rain dance summer home road light blue wild heaven ' +
  'forever tonight crazy lonely sweet little river sky moon star sun rock roll angel gold diamond money ' +
  'highway midnight morning kiss touch tears smile eyes hands soul fever thunder storm ocean city street ' +
  'train wind shadow mirror window door ghost memory promise secret story song music radio party shake ' +
  'jolene respect yesterday imagine wonderwall halo hello someone somebody everybody nobody together alone ' +
  'again never always maybe only just still back down up over under away around through without believe ' +
  'hold stay leave run fly fall walk talk cry shine burn break wake free young old new last first true ' +
  'golden silver purple yellow black white red green electric magic cosmic atomic velvet crystal paper ' +
  'sugar honey cherry whiskey tequila cowboy gypsy rebel soldier stranger lover sinner saint queen king ' +
  'california texas memphis georgia paris london tokyo brooklyn harlem vegas chicago detroit boston'
).split(' ');

const TITLE_GLUE = ['the', 'of', 'my', 'your', 'in', 'on', 'me', 'you', 'to', 'a', 'and', 'is', "don't", "i'm", "can't", 'all'];

const FIRST_NAMES = (
  'dolly johnny willie patsy loretta tammy reba shania garth kenny elvis aretha whitney mariah celine adele ' +
  'taylor billie freddie david bruce tina janis stevie prince madonna cher dusty etta nina ella frank dean ' +
  'bobby marvin otis sam ray chuck buddy roy jerry carole joni linda bonnie cyndi gloria donna diana lionel'
).split(' ');
const LAST_NAMES = (
  'parton cash nelson cline lynn wynette mcentire twain brooks rogers presley franklin houston carey dion ' +
  'swift eilish mercury bowie springsteen turner joplin wonder nicks sinatra martin dylan gaye redding cooke ' +
  'charles berry holly orbison lewis king mitchell ronstadt raitt lauper estefan summer ross richie simone'
).split(' ');
const BANDS = [
  'Beyoncé', 'Björk', 'Sinéad O’Connor', 'Mötley Crüe', 'Blue Öyster Cult', 'Motörhead', 'Hüsker Dü', 'Céline Dion',
  'José González', 'Chloé', 'Zoë Kravitz', 'Françoise Hardy', 'Queensrÿche', 'Sigur Rós', 'Amaranthe',
];
const BAND_NOUNS = 'wolves kings brothers sisters riders killers hearts stones doors eagles kids boys girls lights machines'.split(' ');

/** Mulberry32: small, fast, good enough to make a book. */
export const seededRandom = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const capitalize = (words: string) => words.replace(/(^|\s)(\p{L})/gu, (_, space: string, c: string) => space + c.toUpperCase());

export const generateBook = (count: number, seed = 16): SongInput[] => {
  const random = seededRandom(seed);
  // Skewed towards the front of each list: some words and artists are far more common than others.
  const pick = <T>(list: readonly T[]) => list[Math.floor(list.length * random() ** 1.6)]!;
  const artists: string[] = [];
  for (let i = 0; i < Math.max(50, Math.floor(count / 12)); i++) {
    const kind = random();
    artists.push(
      kind < 0.6
        ? capitalize(`${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`)
        : kind < 0.95
          ? capitalize(`the ${pick(TITLE_WORDS)} ${pick(BAND_NOUNS)}`)
          : pick(BANDS),
    );
  }
  const songs: SongInput[] = [{ title: 'Jolene', artist: 'Dolly Parton' }];
  const seen = new Set([bookSongIdOf(songs[0]!)]);
  while (songs.length < count) {
    const words: string[] = [];
    const length = 1 + Math.floor(random() * 4);
    for (let w = 0; w < length; w++) words.push(w > 0 && random() < 0.3 ? pick(TITLE_GLUE) : pick(TITLE_WORDS));
    const title = capitalize(words.join(' '));
    const artist = pick(artists);
    const key = bookSongIdOf({ title, artist });
    if (seen.has(key)) continue;
    seen.add(key);
    songs.push({ title, artist });
  }
  return songs;
};

/** Every prefix of the query as typed, one keystroke at a time ("d", "do", …, "dolly jol"). */
export const keystrokes = (query: string): string[] => [...query].map((_, i) => query.slice(0, i + 1)).filter((q) => q.trim() !== '');

/** A typo a person makes: a letter dropped, doubled, swapped with the next, or replaced by a neighbour key. */
export const misspell = (word: string, random: () => number): string => {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(random() * (word.length - 2));
  const kind = Math.floor(random() * 4);
  if (kind === 0) return word.slice(0, i) + word.slice(i + 1);
  if (kind === 1) return word.slice(0, i) + word[i] + word.slice(i);
  if (kind === 2) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  const near: Record<string, string> = { a: 's', e: 'r', i: 'o', o: 'i', u: 'y', n: 'm', m: 'n', s: 'a', r: 't', t: 'r', l: 'k', d: 's' };
  return word.slice(0, i) + (near[word[i]!] ?? 'e') + word.slice(i + 1);
};
