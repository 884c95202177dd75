import { createOneWriter } from '../../src/eventstore/oneWriter';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('one writer per stream', () => {
  it('runs tasks of one key one after another in arrival order, and other keys beside them', async () => {
    const writer = createOneWriter();
    const log: string[] = [];
    const task = (name: string, steps: number) => async () => {
      log.push(`${name}+`);
      for (let i = 0; i < steps; i++) await tick();
      log.push(`${name}-`);
      return name;
    };
    const results = await Promise.all([writer.run('a', task('a1', 3)), writer.run('a', task('a2', 1)), writer.run('b', task('b1', 1))]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('a1-')).toBeLessThan(log.indexOf('a2+')); // never overlapping on one key
    expect(log.indexOf('b1-')).toBeLessThan(log.indexOf('a1-')); // another key does not wait
    await tick();
    expect(writer.busy()).toBe(0); // nothing held once idle
  });

  it('a failing task fails only its own caller; the next one still runs', async () => {
    const writer = createOneWriter();
    const failed = writer.run('a', async () => {
      throw new Error('boom');
    });
    const next = writer.run('a', async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });
});
