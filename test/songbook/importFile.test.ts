import { importFile, SongbookFileError } from '../../src/songbook/importFile';
import { BookSongBody } from '../../src/api/contract/schemas';
import { checkLine as check } from '../../src/api/routes/songbookRoutes';

describe('importFile: a CSV or JSON songbook, with every line left out reported', () => {
  it('keeps good lines and reports duplicate, malformed, over-long and title-less ones', () => {
    const csv = [
      'title,artist,key,ref',
      'Jolene,Dolly Parton,,SC8125-03',
      'Valerie,Amy Winehouse,-2,',
      'JOLENE,dolly parton,,', // duplicate of line 2 (case)
      '"Broken quote,Someone,,',
      'Too,Many,1,x,extra',
      `${'x'.repeat(201)},Long Title Band,,`,
      ',No Title Band,,',
      'Crème Brûlée,Beyoncé,3,',
      'Bad key,Band,13,',
    ].join('\n');
    const book = importFile(csv, 'csv', check);
    expect(book.songs.map((s) => s.title)).toEqual(['Jolene', 'Valerie', 'Crème Brûlée']);
    expect(book.songs[0]).toMatchObject({ artist: 'Dolly Parton', ref: 'SC8125-03' });
    expect(book.songs[1]).toMatchObject({ key: -2 });
    const reasons = Object.fromEntries(book.skipped.map((s) => [s.line, s.reason]));
    expect(reasons[4]).toBe('duplicate of line 2 (same title and artist)');
    expect(reasons[5]).toMatch(/^malformed/);
    expect(Object.values(reasons).some((r) => /^malformed: 5 fields/.test(r))).toBe(true);
    expect(Object.values(reasons)).toContain('over-long title');
    expect(Object.values(reasons)).toContain('missing title');
    expect(Object.values(reasons).some((r) => /`key` must be a whole number from -12 to 12/.test(r))).toBe(true);
    expect(book.skippedTotal).toBe(book.skipped.length);
  });

  it('reads JSON, numbering songs from 1, and refuses hostile text per line', () => {
    const book = importFile(
      JSON.stringify({
        songs: [
          { title: 'Jolene', artist: 'Dolly Parton' },
          { title: 'Evil\u202e', artist: 'Bidi' },
          { title: 'x', artist: 'y', __proto__: 'z', constructor: 1 },
          'not a song',
          { title: 'Valerie', artist: 'Amy Winehouse', key: 2 },
        ],
      }).replace('"z"', '"z","__proto__":"p"'),
      'json',
      check,
    );
    expect(book.songs.map((s) => s.title)).toEqual(['Jolene', 'Valerie']);
    expect(book.skipped.map((s) => s.line)).toEqual([2, 3, 4]);
    expect(book.skipped[0]!.reason).toMatch(/control characters, bidirectional overrides/);
    expect(book.skipped[1]!.reason).toMatch(/unknown field/);
  });

  it('reads every kind of line ending: LF, CRLF, and the lone CR of Excel\'s "CSV (Macintosh)"', () => {
    const lines = ['title,artist,key', 'Jolene,Dolly Parton,', 'Valerie,Amy Winehouse,99', 'Hurt,Johnny Cash,-1'];
    for (const ending of ['\n', '\r\n', '\r']) {
      const book = importFile(lines.join(ending) + ending, 'csv', check);
      expect([JSON.stringify(ending), book.songs.map((s) => s.title), book.skipped.map((s) => s.line)]).toEqual([JSON.stringify(ending), ['Jolene', 'Hurt'], [3]]);
    }
  });

  it('leaves out columns with no name, as spreadsheets export empty ones ("title,artist,,")', () => {
    const book = importFile('title,artist,,\nJolene,Dolly Parton,,\nValerie,Amy Winehouse,x,\n', 'csv', check);
    expect(book.songs).toEqual([expect.objectContaining({ title: 'Jolene', artist: 'Dolly Parton' }), expect.objectContaining({ title: 'Valerie', artist: 'Amy Winehouse' })]);
    expect(book.skipped).toEqual([]);
    expect(() => importFile('title,artist,year\nJolene,Dolly Parton,1973\n', 'csv', check)).toThrow(SongbookFileError); // a named column it does not know
  });

  it('reads a CSV separated by semicolons, as Excel saves it where the decimal mark is a comma', () => {
    const book = importFile('title;artist;key\r\nJolene;Dolly Parton;\r\n"Hello, Goodbye";The Beatles;-2\r\n"Broken;Band;\r\n', 'csv', check);
    expect(book.songs.map((s) => [s.title, s.artist, s.key])).toEqual([['Jolene', 'Dolly Parton', undefined], ['Hello, Goodbye', 'The Beatles', -2]]);
    expect(book.skipped.map((s) => s.line)).toEqual([4]);
  });

  it('refuses a file that is not a songbook at all', () => {
    expect(() => importFile('name,singer\nA,B', 'csv', check)).toThrow(SongbookFileError);
    expect(() => importFile('', 'csv', check)).toThrow(SongbookFileError);
    expect(() => importFile('[1,2]', 'json', check)).toThrow(SongbookFileError);
    expect(() => importFile('{', 'json', check)).toThrow(SongbookFileError);
  });

  it('refuses a file with no usable song (it would wipe the book), naming the first line left out', () => {
    expect(() => importFile('title,artist\n', 'csv', check)).toThrow('No song could be read from this file. Your songbook is unchanged.');
    expect(() => importFile('title,artist,key\nA\nB,C,99\n', 'csv', check)).toThrow(/^No song could be read from this file \(2 lines left out; line 2: malformed/);
    expect(() => importFile('{"songs":[]}', 'json', check)).toThrow(SongbookFileError);
  });

  it('gives a song the same id in every import (ids from title and artist, folded)', () => {
    const a = importFile('title,artist\nJolene,Dolly Parton', 'csv', check).songs[0]!;
    const b = importFile(JSON.stringify({ songs: [{ title: 'jolene', artist: 'DOLLY  PARTON' }] }), 'json', check).songs[0]!;
    expect(a.bookSongId).toBe(b.bookSongId);
    expect(BookSongBody.safeParse({ title: a.title, artist: a.artist }).success).toBe(true);
  });
});
