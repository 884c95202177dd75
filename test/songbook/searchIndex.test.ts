import { createSongIndex } from '../../src/songbook/searchIndex';
import { bookSongIdOf, type SongInput } from '../../src/songbook/songs';

const book = (songs: SongInput[]) => songs.map((s) => ({ ...s, bookSongId: bookSongIdOf(s) }));
const index = createSongIndex(
  book([
    { title: 'Jolene', artist: 'Dolly Parton' },
    { title: '9 to 5', artist: 'Dolly Parton' },
    { title: 'Jolly Holiday', artist: 'Julie Andrews' },
    { title: 'Halo', artist: 'Beyoncé' },
    { title: 'Nothing Compares 2 U', artist: 'Sinéad O’Connor' },
    { title: 'Kickstart My Heart', artist: 'Mötley Crüe' },
    { title: 'Don’t Stop Believin’', artist: 'Journey' },
    { title: 'On the Road Again', artist: 'Willie Nelson' },
    { title: 'Valerie', artist: 'Amy Winehouse' },
  ]),
);
const titles = (q: string, limit = 5) => index.search(q, limit).songs.map((s) => s.title);

describe('searching a songbook as you type', () => {
  it('finds by prefixes of title and artist together, best match first', () => {
    expect(titles('dolly jol')[0]).toBe('Jolene');
    expect(titles('jol')).toEqual(expect.arrayContaining(['Jolene', 'Jolly Holiday']));
    expect(titles('wil')).toEqual(['On the Road Again']);
    expect(titles('val')).toEqual(['Valerie']);
  });

  it('counts two neighbouring letters swapped as one typo, in short words too', () => {
    expect(titles('hlao ')).toEqual(['Halo']);
    expect(titles('vlaerie')).toEqual(['Valerie']);
    expect(titles('raod again')).toEqual(['On the Road Again']);
    expect(titles('amy wienhouse')).toEqual(['Valerie']);
  });

  it('ignores accents, case and punctuation', () => {
    expect(titles('beyonce')).toEqual(['Halo']);
    expect(titles('SINEAD')).toEqual(['Nothing Compares 2 U']);
    expect(titles('motley crue')).toEqual(['Kickstart My Heart']);
    expect(titles('dont stop')).toEqual(['Don’t Stop Believin’']);
    expect(titles('Mötley')).toEqual(['Kickstart My Heart']);
  });

  it('forgives typos', () => {
    expect(titles('jolenne')).toEqual(['Jolene']);
    expect(titles('wilie nelsn')).toEqual(['On the Road Again']);
    expect(titles('winehuose valerie')).toEqual(['Valerie']);
    expect(titles('dolly partno')).toEqual(expect.arrayContaining(['Jolene', '9 to 5']));
    // Three words or more: one too mangled to match still finds the song, after those that match every word.
    expect(titles('dolly parton jxlxnx')).toEqual(['Jolene', '9 to 5']);
  });

  it('needs every word, counts all matches, and finds nothing for nonsense', () => {
    expect(titles('dolly halo')).toEqual([]);
    expect(index.search('parton', 1)).toMatchObject({ total: 2 });
    expect(titles('zzzz qqqq')).toEqual([]);
    expect(titles('   ')).toEqual([]);
    expect(titles('__proto__ constructor')).toEqual([]);
  });

  it('follows adds, edits and deletes', () => {
    const edited = createSongIndex(book([{ title: 'Jolene', artist: 'Dolly Parton' }]));
    const id = bookSongIdOf({ title: 'Jolene', artist: 'Dolly Parton' });
    edited.put({ bookSongId: id, title: 'Jolene (Live)', artist: 'Dolly Parton' });
    edited.put({ bookSongId: 'other', title: 'Respect', artist: 'Aretha Franklin' });
    expect(edited.search('live', 5).songs.map((s) => s.bookSongId)).toEqual([id]);
    expect(edited.remove(id)).toBe(true);
    expect(edited.search('jolene', 5).total).toBe(0);
    expect(edited.size).toBe(1);
    expect(edited.find({ title: 'respect', artist: 'ARETHA franklin' })?.bookSongId).toBe('other');
  });
});
