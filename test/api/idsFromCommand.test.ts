import { documentClient, deleteItems } from '../../src/eventstore/dynamo';
import { song, startTestApi } from '../support/api';

const api = startTestApi();

/** Forgets every idempotency record, as when they expired or a crash lost one (issue 11). */
const forgetIdempotencyRecords = () => deleteItems(documentClient(api.engine.dynamo.client), api.engine.dynamo.tableNames.idempotency, ['id']);

describe('ids from the command', () => {
  it('a retried create names the same rotation, song and turn even when the idempotency record is gone', async () => {
    const kj = api.token('kj-ids', 'kj');
    const amy = api.token('amy', 'singer');
    const retried = async (method: string, path: string, token: string, key: string, body?: unknown) => {
      const first = await api.request(method, path, { token, body, headers: { 'Idempotency-Key': key } });
      await forgetIdempotencyRecords();
      const again = await api.request(method, path, { token, body, headers: { 'Idempotency-Key': key } });
      expect({ status: again.status, body: again.body }).toEqual({ status: first.status, body: first.body });
      return first.body;
    };

    const { rotationId } = await retried('POST', '/rotations', kj, 'open-1', { venue: 'Once Bar', settings: { autoAdvance: false } });
    const r = `/rotations/${rotationId}`;
    const joined = await retried('POST', `${r}/singers`, amy, 'join-1', { displayName: 'Amy', song: song('first') });
    const { songId } = await retried('POST', `${r}/singers/amy/songs`, amy, 'song-2', song('second'));
    const { turnId } = await retried('POST', `${r}/turns`, kj, 'call-1');

    const events = (await api.request('GET', `${r}/events`, { token: kj })).body.events as { type: string; data: Record<string, unknown> }[];
    expect(events.map((e) => e.type)).toEqual(['RotationOpened', 'SingerJoined', 'SongQueued', 'TurnCalled']);
    expect(events[0]!.data.rotationId).toBe(rotationId);
    expect(joined.version).toBe(2);
    expect(events[2]!.data.songId).toBe(songId); // the answered id is the one in the log
    expect(events[3]!.data.turnId).toBe(turnId);
    // Different keys, different things.
    const other = await api.request('POST', '/rotations', { token: kj, body: { venue: 'Once Bar' }, headers: { 'Idempotency-Key': 'open-2' } });
    expect(other.body.rotationId).not.toBe(rotationId);
  });
});
