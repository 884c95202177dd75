import { ConcurrencyError, EventStoreUnavailableError } from '../../src/eventstore/errors';
import { storeError } from '../../src/api/http/errors';
import { song, startTestApi } from '../support/api';

const api = startTestApi();

describe('the store failing is never a 500 (API.md "Errors")', () => {
  it('a race still lost after retrying is 409 conflict; a store that cannot be reached is 503 with Retry-After', () => {
    expect(storeError(new ConcurrencyError('rotation#r', 3))).toMatchObject({ status: 409, code: 'conflict' });
    expect(storeError(new EventStoreUnavailableError('down'))).toMatchObject({ status: 503, code: 'unavailable', headers: { 'Retry-After': '1' } });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(storeError(new Error('Failed to save in progress record', { cause: refused }))).toMatchObject({ status: 503 });
    expect(storeError(new TypeError('a bug'))).toBeNull();
  });

  it('with the store gone, commands and reads that need it answer 503 unavailable with Retry-After', async () => {
    const kj = api.token('kj-down', 'kj');
    const opened = await api.request('POST', '/rotations', { token: kj, body: { venue: 'Dark Bar' } });
    expect(opened.status).toBe(201);
    const r = `/rotations/${opened.body.rotationId}`;
    await api.engine.dynamo.close();

    const join = await api.request('POST', `${r}/singers`, { token: api.token('amy', 'singer'), body: { displayName: 'Amy', song: song('a') } });
    const log = await api.request('GET', `${r}/events`, { token: kj });
    const notHeld = await api.request('GET', '/rotations/never-read/queue', { token: kj });
    for (const answer of [join, log, notHeld]) {
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe('unavailable');
      expect(answer.headers.get('retry-after')).toBe('1');
    }
    // The queue view held in memory is still served: reading it needs no store.
    expect((await api.request('GET', `${r}/queue`, { token: kj })).status).toBe(200);
  }, 30_000);
});
