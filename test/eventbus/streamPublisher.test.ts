/** The stream consumer that publishes committed events: stream records in, PutEvents out, failures reported per rotation. */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createEventBridgePublisher } from '../../src/eventbus/publisher';
import { commitOfRecord, createStreamPublisher } from '../../src/eventbus/streamPublisher';
import { streamRecordOf } from '../../src/local/streamFeed';
import { commitsFor, expectedDetail } from './commits';

const BUS = 'test-bus';
type Input = PutEventsCommand['input'];

/** A mocked EventBridgeClient; `failing(entry)` decides per entry whether EventBridge refuses it. */
const mockClient = (failing: (entry: NonNullable<Input['Entries']>[number]) => boolean = () => false) => {
  const send = jest.fn(async (command: PutEventsCommand) => {
    const entries = command.input.Entries ?? [];
    const results = entries.map((e, i) => (failing(e) ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: `ev-${i}` }));
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  });
  return { client: { send } as unknown as Pick<EventBridgeClient, 'send'>, send };
};
const consumerWith = (client: Pick<EventBridgeClient, 'send'>, log: (m: string) => void = () => {}) =>
  createStreamPublisher({ publisher: createEventBridgePublisher({ client, eventBusName: BUS, retry: { maxAttempts: 2, sleep: async () => {} } }), log });

const joined = (n: number) => ({ type: 'SingerJoined', data: { singerId: `s${n}` } });
const eventOf = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

describe('stream publisher', () => {
  it('reads each commit back from its NEW_IMAGE and publishes its events in order, with the exact entries', async () => {
    const commits = commitsFor('r1', [[joined(1)], [joined(2), { type: 'SongQueued', data: { singerId: 's2', songId: 'x' } }]]);
    expect(commitOfRecord(streamRecordOf(commits[1]!))).toEqual(commits[1]);
    const { client, send } = mockClient();
    expect(await consumerWith(client)(eventOf(commits.map(streamRecordOf)))).toEqual({ batchItemFailures: [] });
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]![0].input).toEqual({
      Entries: [
        [commits[0]!, 0],
        [commits[1]!, 0],
        [commits[1]!, 1],
      ].map(([c, i]) => ({
        Source: 'karaoke.rotation',
        DetailType: (c as (typeof commits)[number]).events[i as number]!.type,
        Detail: JSON.stringify(expectedDetail(c as (typeof commits)[number], i as number, 'r1')),
        EventBusName: BUS,
        Time: new Date((c as (typeof commits)[number]).at),
      })),
    });
  });

  it('ignores records that are not inserts (the event log is append-only; a TTL or manual delete is not an event)', async () => {
    const [commit] = commitsFor('r1', [[joined(1)]]);
    const removed: DynamoDBRecord = { ...streamRecordOf(commit!), eventName: 'REMOVE' };
    const { client, send } = mockClient();
    expect(await consumerWith(client)(eventOf([removed]))).toEqual({ batchItemFailures: [] });
    expect(send).not.toHaveBeenCalled();
  });

  it('a record whose image holds no commit is reported with its rotation\'s later records; other rotations in the batch still go out', async () => {
    const a = commitsFor('ra', [[joined(1)], [joined(2)]]);
    const b = commitsFor('rb', [[joined(3)], [joined(4)]]);
    const records = [a[0]!, b[0]!, a[1]!, b[1]!].map(streamRecordOf);
    // rb's first item as stored, but its packed commit is not JSON (written by hand, or by a broken deploy).
    records[1] = { ...records[1]!, dynamodb: { ...records[1]!.dynamodb, NewImage: { ...records[1]!.dynamodb!.NewImage, commit: { S: '{not json' } } } };
    const { client, send } = mockClient();
    const log = jest.fn();
    const response = await consumerWith(client, log)(eventOf(records));
    expect(response).toEqual({ batchItemFailures: [records[1]!, records[3]!].map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })) });
    const sent = send.mock.calls.flatMap(([c]) => (c.input.Entries ?? []).map((e) => JSON.parse(e.Detail!) as { streamId: string; version: number }));
    expect(sent.map((d) => `${d.streamId}@${d.version}`)).toEqual(['rotation#ra@1', 'rotation#ra@2']);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('rotation#rb'));
  });

  it('a malformed record that does not even name its rotation holds back every record after it, and only those', async () => {
    const a = commitsFor('ra', [[joined(1)], [joined(2)]]);
    const b = commitsFor('rb', [[joined(3)]]);
    const records = [a[0]!, b[0]!, a[1]!].map(streamRecordOf);
    records[1] = { ...records[1]!, dynamodb: { ...records[1]!.dynamodb, Keys: {}, NewImage: { junk: { S: 'x' } } } };
    const { client, send } = mockClient();
    const response = await consumerWith(client)(eventOf(records));
    expect(response).toEqual({ batchItemFailures: [records[1]!, records[2]!].map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })) });
    const sent = send.mock.calls.flatMap(([c]) => (c.input.Entries ?? []).map((e) => JSON.parse(e.Detail!) as { streamId: string; version: number }));
    expect(sent.map((d) => `${d.streamId}@${d.version}`)).toEqual(['rotation#ra@1']);
  });

  it('a rotation whose commit keeps failing reports that record and its later ones; another rotation in the batch still goes out', async () => {
    const a = commitsFor('ra', [[joined(1)], [joined(2)], [joined(3)]]);
    const b = commitsFor('rb', [[joined(4)], [joined(5)]]);
    // Interleaved as a shard may deliver them; EventBridge keeps refusing ra's second commit.
    const records = [a[0]!, b[0]!, a[1]!, b[1]!, a[2]!].map(streamRecordOf);
    const { client, send } = mockClient((entry) => entry.Detail!.includes('"streamId":"rotation#ra","version":2'));
    const log = jest.fn();
    const response = await consumerWith(client, log)(eventOf(records));
    const seqOf = (r: DynamoDBRecord) => r.dynamodb!.SequenceNumber!;
    expect(response).toEqual({ batchItemFailures: [records[2]!, records[4]!].map((r) => ({ itemIdentifier: seqOf(r) })) });
    const sent = send.mock.calls.flatMap(([c]) => (c.input.Entries ?? []).map((e) => JSON.parse(e.Detail!) as { streamId: string; version: number }));
    // rb went out whole. ra went as one PutEvents batch whose version 2 was refused twice; version 3 was in that
    // batch, but it is reported with 2 so the retried batch resends both, in order (consumers de-duplicate on seq).
    expect(sent.filter((d) => d.streamId === 'rotation#rb').map((d) => d.version)).toEqual([1, 2]);
    expect(sent.filter((d) => d.streamId === 'rotation#ra').map((d) => d.version)).toEqual([1, 2, 3, 2]);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('rotation#ra'));
  });
});
