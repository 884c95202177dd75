import { PutEventsCommand, type EventBridgeClient, type PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import { MAX_PUT_EVENTS_BYTES, putEventsEntrySize } from '../../src/eventbus/busEvent';
import { EventTooLargeError, PublishFailedError } from '../../src/eventbus/errors';
import { createEventBridgePublisher } from '../../src/eventbus/publisher';
import type { StoredCommit } from '../../src/eventstore/commit';
import { commitsFor, expectedDetail } from './commits';

const BUS = 'test-bus';

/** A mocked EventBridgeClient whose send answers from a script, one response (or error) per call. */
const mockClient = (...script: ((input: PutEventsCommand['input']) => Partial<PutEventsCommandOutput> | Error)[]) => {
  const send = jest.fn(async (command: PutEventsCommand) => {
    const step = script.shift() ?? allAccepted;
    const out = step(command.input);
    if (out instanceof Error) throw out;
    return out;
  });
  return { client: { send } as unknown as Pick<EventBridgeClient, 'send'>, send };
};
const allAccepted = (input: PutEventsCommand['input']) => ({
  FailedEntryCount: 0,
  Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `ev-${i}` })),
});
const failingAt = (...indexes: number[]) => (input: PutEventsCommand['input']) => ({
  FailedEntryCount: indexes.length,
  Entries: (input.Entries ?? []).map((_, i) =>
    indexes.includes(i) ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: `ev-${i}` },
  ),
});

const sleep = jest.fn(async (_ms: number) => {});
const publisherWith = (client: Pick<EventBridgeClient, 'send'>, maxAttempts = 3) =>
  createEventBridgePublisher({ client, eventBusName: BUS, retry: { maxAttempts, sleep, random: () => 0.5 } });

/** The exact entry the adapter must send for event `index` of `commit`. */
const entryFor = (commit: StoredCommit, index: number, rotationId: string) => ({
  Source: 'karaoke.rotation',
  DetailType: commit.events[index]!.type,
  Detail: JSON.stringify(expectedDetail(commit, index, rotationId)),
  EventBusName: BUS,
  Time: new Date(commit.at),
});
const allEntries = (commits: StoredCommit[], rotationId: string) =>
  commits.flatMap((c) => c.events.map((_, i) => entryFor(c, i, rotationId)));

const ev = (type: string, n: number) => ({ type, data: { singerId: `s${n}`, note: 'é ♪' } });
/** 23 events of one rotation in 6 commits of uneven size. */
const night = () =>
  commitsFor('r1', [1, 5, 7, 3, 6, 1].map((size, c) => Array.from({ length: size }, (_, i) => ev(i % 2 ? 'SongQueued' : 'SingerJoined', c * 10 + i))));

beforeEach(() => sleep.mockClear());

describe('EventBridge publisher', () => {
  it('sends 23 events as PutEvents batches of 10, 10 and 3, in order, with the exact entries', async () => {
    const commits = night();
    const { client, send } = mockClient();
    await publisherWith(client).publish(commits);

    expect(send).toHaveBeenCalledTimes(3);
    for (const [command] of send.mock.calls) expect(command).toBeInstanceOf(PutEventsCommand);
    const expected = allEntries(commits, 'r1');
    expect(send.mock.calls.map(([c]) => c.input)).toEqual([
      { Entries: expected.slice(0, 10) },
      { Entries: expected.slice(10, 20) },
      { Entries: expected.slice(20, 23) },
    ]);
    // Spelled out once, so the documented detail shape is pinned literally.
    expect(send.mock.calls[0]![0].input.Entries![0]).toEqual({
      Source: 'karaoke.rotation',
      DetailType: 'SingerJoined',
      Detail:
        `{"rotationId":"r1","streamId":"rotation#r1","version":1,"seq":1,"type":"SingerJoined","schemaVersion":1,` +
        `"data":{"singerId":"s0","note":"é ♪"},"actor":{"id":"kj-1","role":"kj"},"at":"2025-01-01T20:01:07.250Z"}`,
      EventBusName: BUS,
      Time: new Date('2025-01-01T20:01:07.250Z'),
    });
    expect(sleep).not.toHaveBeenCalled();
  });

  it('keeps each rotation\'s events in commit order when commits of several rotations are published together', async () => {
    const a = commitsFor('ra', [[ev('SingerJoined', 1)], [ev('SongQueued', 2), ev('SongQueued', 3)]]);
    const b = commitsFor('rb', [[ev('SingerJoined', 4)]]);
    const { client, send } = mockClient();
    await publisherWith(client).publish([a[0]!, b[0]!, a[1]!]);
    expect(send.mock.calls.map(([c]) => c.input)).toEqual([
      { Entries: [entryFor(a[0]!, 0, 'ra'), entryFor(b[0]!, 0, 'rb'), entryFor(a[1]!, 0, 'ra'), entryFor(a[1]!, 1, 'ra')] },
    ]);
  });

  it('retries only the failed entry of a partial failure, after a jittered backoff, before sending the next batch', async () => {
    const commits = night();
    const expected = allEntries(commits, 'r1');
    const { client, send } = mockClient(failingAt(3));
    await publisherWith(client).publish(commits);

    expect(send.mock.calls.map(([c]) => c.input)).toEqual([
      { Entries: expected.slice(0, 10) },
      { Entries: [expected[3]] },
      { Entries: expected.slice(10, 20) },
      { Entries: expected.slice(20, 23) },
    ]);
    // Full jitter: random 0.5 of min(2000, 100 * 2^0).
    expect(sleep.mock.calls).toEqual([[50]]);
  });

  it('retries a whole call that threw', async () => {
    const commits = commitsFor('r1', [[ev('SingerJoined', 1), ev('SongQueued', 2)]]);
    const { client, send } = mockClient(() => Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    await publisherWith(client).publish(commits);
    expect(send.mock.calls.map(([c]) => c.input)).toEqual([{ Entries: allEntries(commits, 'r1') }, { Entries: allEntries(commits, 'r1') }]);
  });

  it('throws a typed publish-failed error after the last attempt, listing what failed and what was never sent', async () => {
    const commits = commitsFor('r1', [Array.from({ length: 12 }, (_, i) => ev('SongQueued', i))]);
    const expected = allEntries(commits, 'r1');
    const { client, send } = mockClient(failingAt(2, 5), failingAt(1), failingAt(0));
    const error = await publisherWith(client, 3).publish(commits).then(() => null, (e: unknown) => e);

    expect(error).toBeInstanceOf(PublishFailedError);
    const failed = error as PublishFailedError;
    expect(failed.code).toBe('publish-failed');
    expect(failed.attempts).toBe(3);
    expect(failed.failed).toEqual([{ streamId: 'rotation#r1', seq: 6, type: 'SongQueued', errorCode: 'InternalFailure', errorMessage: 'try again' }]);
    expect(failed.notAttempted).toEqual([
      { streamId: 'rotation#r1', seq: 11, type: 'SongQueued' },
      { streamId: 'rotation#r1', seq: 12, type: 'SongQueued' },
    ]);
    // The second batch is never sent: a later event must not go out while an earlier one is missing.
    expect(send.mock.calls.map(([c]) => c.input)).toEqual([
      { Entries: expected.slice(0, 10) },
      { Entries: [expected[2], expected[5]] },
      { Entries: [expected[5]] },
    ]);
    expect(sleep).toHaveBeenCalledTimes(2);
  });

  it('refuses an entry over 256 KB with a typed error before sending anything', async () => {
    const huge = { type: 'SongQueued', data: { blob: 'x'.repeat(MAX_PUT_EVENTS_BYTES) } };
    const commits = commitsFor('r1', [[ev('SingerJoined', 1)], [huge]]);
    const { client, send } = mockClient();
    const error = await publisherWith(client).publish(commits).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(EventTooLargeError);
    expect((error as EventTooLargeError).code).toBe('event-too-large');
    expect((error as EventTooLargeError).event).toEqual({ streamId: 'rotation#r1', seq: 2, type: 'SongQueued' });
    expect((error as EventTooLargeError).limitBytes).toBe(262144);
    expect(send).not.toHaveBeenCalled();
  });

  it('accepts an entry of exactly 256 KB and refuses one byte more', async () => {
    const sized = (fill: number) => commitsFor('r1', [[{ type: 'SongQueued', data: { blob: 'x'.repeat(fill) } }]]);
    const overhead = putEventsEntrySize(entryFor(sized(0)[0]!, 0, 'r1'));
    const { client, send } = mockClient();
    await publisherWith(client).publish(sized(MAX_PUT_EVENTS_BYTES - overhead));
    expect(send).toHaveBeenCalledTimes(1);
    await expect(publisherWith(client).publish(sized(MAX_PUT_EVENTS_BYTES - overhead + 1))).rejects.toBeInstanceOf(EventTooLargeError);
  });

  it('splits batches so one PutEvents request stays within 256 KB', async () => {
    const big = (n: number) => ({ type: 'SongQueued', data: { n, blob: 'y'.repeat(100 * 1024) } });
    const commits = commitsFor('r1', [[big(1), big(2), big(3)]]);
    const { client, send } = mockClient();
    await publisherWith(client).publish(commits);
    expect(send.mock.calls.map(([c]) => c.input.Entries!.map((e) => JSON.parse(e.Detail!).seq))).toEqual([[1, 2], [3]]);
  });

  it('counts entry size as EventBridge documents it (UTF-8 bytes, 14 for Time)', () => {
    expect(putEventsEntrySize({ Source: 'a', DetailType: 'é', Detail: '♪', Resources: ['ab'], Time: new Date() })).toBe(14 + 1 + 2 + 3 + 2);
    expect(putEventsEntrySize({ Source: 'a', DetailType: 'b' })).toBe(2);
  });
});
