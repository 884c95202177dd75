import { createBoundedMap } from '../src/boundedMap';

describe('a bounded map', () => {
  it('drops the least recently used entry first; get and set count as uses, peek does not', () => {
    const map = createBoundedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1); // a is now newer than b
    map.set('c', 3);
    expect([map.peek('a'), map.peek('b'), map.peek('c')]).toEqual([1, undefined, 3]);
    expect(map.peek('a')).toBe(1); // not a use: a stays the oldest
    map.set('d', 4);
    expect([map.peek('a'), map.peek('c'), map.peek('d'), map.size]).toEqual([undefined, 3, 4, 2]);
  });

  it('passes over pinned entries, may hold more than its bound while they are pinned, and trims once they are not', () => {
    const pins = new Set(['a', 'b']);
    const map = createBoundedMap<string, number>(1, { pinned: (key) => pins.has(key) });
    map.set('a', 1);
    map.set('b', 2);
    expect(map.size).toBe(2);
    map.set('c', 3); // the only unpinned entry is the newest: it goes
    expect([map.peek('a'), map.peek('b'), map.peek('c')]).toEqual([1, 2, undefined]);
    pins.delete('a');
    map.trim();
    expect([map.peek('a'), map.peek('b'), map.size]).toEqual([undefined, 2, 1]);
  });

  it('a bound of 0 keeps nothing; prototype names are ordinary keys', () => {
    const none = createBoundedMap<string, number>(0);
    none.set('a', 1);
    expect(none.size).toBe(0);
    const map = createBoundedMap<string, number>(3);
    for (const key of ['__proto__', 'constructor', 'toString']) map.set(key, key.length);
    expect([map.get('__proto__'), map.get('constructor'), map.get('toString'), map.get('valueOf')]).toEqual([9, 11, 8, undefined]);
  });
});
