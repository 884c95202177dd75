import { randomBytes } from 'node:crypto';
import { createDevTokens } from '../../src/local/devTokens';

/** Verified tokens are kept, but whatever can change after a token was first checked is checked on every use. */
describe('local tokens, verified once and kept', () => {
  it('a kept token still expires, and a kept KJ token stops working once the passphrase changes', () => {
    let now = Date.parse('2026-12-02T20:00:00.000Z');
    let passphrase = 'first words here';
    const tokens = createDevTokens(randomBytes(32), { now: () => now, kjPassphrase: { current: () => passphrase } });
    const kj = tokens.issue({ sub: 'kj-ann', name: 'Ann', role: 'kj' });
    const singer = tokens.issue({ sub: 'amy', name: 'Amy', role: 'singer' });
    expect(tokens.verify(kj)?.sub).toBe('kj-ann');
    expect(tokens.verify(kj)?.sub).toBe('kj-ann'); // kept
    expect(tokens.verify(singer)?.sub).toBe('amy');

    passphrase = 'other words now';
    expect(tokens.verify(kj)).toBeNull();
    expect(tokens.verify(singer)?.sub).toBe('amy'); // singer tokens do not depend on it

    now += 13 * 60 * 60 * 1000;
    expect(tokens.verify(singer)).toBeNull();
  });

  it('a token with one changed character is refused, kept or not', () => {
    const tokens = createDevTokens(randomBytes(32));
    const token = tokens.issue({ sub: 'amy', name: 'Amy', role: 'singer' });
    expect(tokens.verify(token)?.sub).toBe('amy');
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(tokens.verify(`${token.slice(0, -1)}${last}`)).toBeNull();
  });
});
