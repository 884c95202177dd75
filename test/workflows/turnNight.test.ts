/**
 * The turn workflow end to end on one machine, over HTTP: API → event store → stream feed → publisher → local
 * bus → rules → the turn ASL on aws-local-stepfunctions → commands and outbox alerts. Task timeouts run at
 * 1/100 of real time (secondsToMs), so noShowTimeoutSeconds 10 takes 100 ms and the default 120 takes 1.2 s.
 */
import { nextTurnIdAfter, turnIdOnAdvance } from '../../src/workflows/ids';
import { song, startTestApi } from '../support/api';
import { eventually } from './support';

const api = startTestApi({ secondsToMs: (seconds) => seconds * 10 });

interface LoggedEvent {
  seq: number;
  type: string;
  data: Record<string, any>;
  actor: { id: string; role: string };
}

const setUp = async (kjId: string, settings: Record<string, unknown>, singers: string[]) => {
  const kj = api.token(kjId, 'kj');
  const opened = await api.request('POST', '/rotations', { token: kj, body: { venue: 'Blue Room', settings } });
  expect(opened.status).toBe(201);
  const rotationId = opened.body.rotationId as string;
  const r = `/rotations/${rotationId}`;
  for (const id of singers) {
    const joined = await api.request('POST', `${r}/singers`, { token: api.token(id, 'singer'), body: { displayName: id.toUpperCase(), song: song(`${id}-1`) } });
    expect(joined.status).toBe(201);
  }
  const events = async (): Promise<LoggedEvent[]> => (await api.request('GET', `${r}/events`, { token: kj })).body.events;
  const queue = async () => (await api.request('GET', `${r}/queue`, { token: kj })).body;
  const outbox = async () =>
    ((await api.request('GET', '/dev/outbox')).body.alerts as { rotationId: string; turnId: string; singerId: string; kind: string; channel: string }[])
      .filter((a) => a.rotationId === rotationId)
      .map((a) => `${a.turnId} ${a.singerId} ${a.kind} ${a.channel}`);
  const turnsCalled = async () => (await events()).filter((e) => e.type === 'TurnCalled').map((e) => e.data as { turnId: string; singerId: string });
  return { kj, rotationId, r, events, queue, outbox, turnsCalled };
};

/** Waits until the turn workflow has called `count` turns, and returns the last one. */
const calledTurn = async (turnsCalled: () => Promise<{ turnId: string; singerId: string }[]>, count: number) =>
  eventually(async () => {
    const turns = await turnsCalled();
    expect(turns).toHaveLength(count);
    return turns[count - 1]!;
  });

describe('turn workflow on one machine', () => {
  it('with autoAdvance a night runs on its own: call → alerts → start → complete → next call, then idles until a song is queued', async () => {
    const night = await setUp('kj-auto', { alertAheadTurns: 1, autoAdvance: true }, ['amy', 'bo', 'cy']);
    const { kj, r } = night;
    const amy = api.token('amy', 'singer');
    expect(await api.request('PUT', '/singers/amy/contact', { token: amy, body: { phone: '+15551234567', email: 'amy@example.com', channels: ['sms', 'email'] } })).toMatchObject({ status: 200 });

    // The KJ starts the night; from then on the workflow calls each next singer.
    const first = await api.request('POST', `${r}/turns`, { token: kj });
    expect(first.body.singerId).toBe('amy');
    const perform = async (turnId: string) => {
      expect((await api.request('POST', `${r}/turns/${turnId}/start`, { token: kj })).status).toBe(200);
      expect((await api.request('POST', `${r}/turns/${turnId}/complete`, { token: kj })).status).toBe(200);
    };
    await perform(first.body.turnId);

    const second = await calledTurn(night.turnsCalled, 2);
    expect(second).toEqual({ ...second, singerId: 'bo', turnId: nextTurnIdAfter(first.body.turnId) });
    await perform(second.turnId);
    const third = await calledTurn(night.turnsCalled, 3);
    expect(third).toMatchObject({ singerId: 'cy', turnId: nextTurnIdAfter(second.turnId) });
    await perform(third.turnId);

    // Nobody has a song left: the workflow's call is refused and the rotation idles.
    await eventually(async () => {
      const execution = api.engine.turns.stepFunctions.executions().find((e) => e.name === third.turnId);
      expect(execution).toMatchObject({ status: 'succeeded', output: { next: { value: { outcome: 'idle', rejection: 'no-eligible-singer' } } } });
    });
    expect((await night.queue()).current).toBeNull();

    // A song makes bo eligible again: the idle rotation advances by itself.
    const queued = await api.request('POST', `${r}/singers/bo/songs`, { token: api.token('bo', 'singer'), body: song('bo-2') });
    expect(queued.status).toBe(201);
    const fourth = await calledTurn(night.turnsCalled, 4);
    const songQueued = (await night.events()).find((e) => e.type === 'SongQueued')!;
    expect(fourth).toMatchObject({ singerId: 'bo', turnId: turnIdOnAdvance(night.rotationId, songQueued.seq) });
    await perform(fourth.turnId);

    const [t1, t2, t3, t4] = [first.body.turnId, second.turnId, third.turnId, fourth.turnId];
    const expected = [
      `${t1} amy up-now sms`,
      `${t1} amy up-now email`,
      `${t1} bo turns-away outbox`,
      `${t2} bo up-now outbox`,
      `${t2} cy turns-away outbox`,
      `${t3} cy up-now outbox`,
      `${t4} bo up-now outbox`,
    ];
    await eventually(async () => expect((await night.outbox()).sort()).toEqual([...expected].sort()));

    // Every call after the first was the workflow's, as the system actor.
    const calls = (await night.events()).filter((e) => e.type === 'TurnCalled');
    expect(calls.map((e) => e.actor)).toEqual([{ id: 'kj-auto', role: 'kj' }, ...Array(3).fill({ id: 'turn-workflow', role: 'system' })]);

    // Redelivering the whole night to the bus runs no turn twice: no new event, no new alert.
    await eventually(async () => expect(api.engine.turns.stepFunctions.executions().filter((e) => e.status === 'running' && [t1, t2, t3, t4].includes(e.name))).toEqual([]));
    const before = (await night.events()).length;
    const commits = await api.engine.feed.store.readStream(`rotation#${night.rotationId}`);
    await api.engine.turns.bus.publish(commits);
    await api.engine.turns.drain();
    expect((await night.events()).length).toBe(before);
    expect((await night.outbox()).sort()).toEqual([...expected].sort());
    expect(api.engine.turns.bus.deadLetters()).toEqual([]);
  });

  it('a no-show is forfeited after noShowTimeoutSeconds; after maxNoShows the singer is away and alerted no more', async () => {
    const night = await setUp('kj-noshow', { noShowTimeoutSeconds: 10, maxNoShows: 2, alertAheadTurns: 1, autoAdvance: true }, ['dee', 'eli']);
    const started = Date.now();
    const first = await api.request('POST', `${night.r}/turns`, { token: night.kj });
    expect(first.body.singerId).toBe('dee');

    // dee, eli, dee (away now), eli (away now): four forfeits, then nobody is eligible.
    await eventually(async () => {
      const types = (await night.events()).map((e) => e.type);
      expect(types.filter((t) => t === 'SingerWentAway')).toHaveLength(2);
    });
    const events = await night.events();
    const forfeits = events.filter((e) => e.type === 'TurnForfeited');
    expect(forfeits.map((e) => [e.data.singerId, e.data.reason, e.actor])).toEqual(
      ['dee', 'eli', 'dee', 'eli'].map((id) => [id, 'no-show', { id: 'turn-workflow', role: 'system' }]),
    );
    expect(events.filter((e) => e.type === 'SingerWentAway').map((e) => e.data)).toEqual([
      { singerId: 'dee', reason: 'no-shows' },
      { singerId: 'eli', reason: 'no-shows' },
    ]);
    // Four scaled timeouts of 100 ms each: unscaled, the four waits alone would take 40 s.
    expect(Date.now() - started).toBeLessThan(4 * 10_000);

    const turns = (await night.turnsCalled()).map((t) => t.turnId);
    expect(turns).toHaveLength(4);
    const [t1, t2, t3, t4] = turns;
    const expected = [
      `${t1} dee up-now outbox`,
      `${t1} eli turns-away outbox`,
      `${t2} eli up-now outbox`,
      `${t2} dee turns-away outbox`,
      `${t3} dee up-now outbox`,
      `${t3} eli turns-away outbox`,
      // dee is away now: eli's turn alerts nobody else.
      `${t4} eli up-now outbox`,
    ];
    await eventually(async () => {
      const last = api.engine.turns.stepFunctions.executions().find((e) => e.name === t4);
      expect(last).toMatchObject({ status: 'succeeded', output: { next: { value: { outcome: 'idle' } } } });
    });
    expect((await night.outbox()).sort()).toEqual([...expected].sort());
    const queue = await night.queue();
    expect(queue.current).toBeNull();
    expect(queue.singers.map((s: { singerId: string; status: string; pendingSongs: number }) => [s.singerId, s.status, s.pendingSongs]).sort()).toEqual([
      ['dee', 'away', 1],
      ['eli', 'away', 1],
    ]);
  });

  it('the KJ forfeiting a waiting turn ends its execution at once; with autoAdvance off nobody else is called', async () => {
    const night = await setUp('kj-quick', { autoAdvance: false, alertAheadTurns: 0 }, ['fay', 'gus']);
    const call = await api.request('POST', `${night.r}/turns`, { token: night.kj });
    await eventually(async () => expect(api.engine.turns.stepFunctions.executions().find((e) => e.name === call.body.turnId)).toBeDefined());
    expect((await api.request('POST', `${night.r}/turns/${call.body.turnId}/forfeit`, { token: night.kj })).status).toBe(200);
    await eventually(async () =>
      expect(api.engine.turns.stepFunctions.executions().find((e) => e.name === call.body.turnId)).toMatchObject({
        status: 'succeeded',
        output: { stage: { outcome: 'forfeited' } },
      }),
    );
    // autoAdvance false: nobody else was called.
    expect((await night.turnsCalled())).toHaveLength(1);
    expect(await night.outbox()).toEqual([`${call.body.turnId} fay up-now outbox`]);
  });
});
