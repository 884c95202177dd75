import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoEventStore } from '../../src/eventstore/dynamoEventStore';
import { FIRST_COMMITS_INDEX, streamIdFor as streamOf } from '../../src/eventstore/tables';
import { withEmbeddedDynamo } from '../support/dynamo';
import { fixtureOn, playScriptedNight } from '../projections/support';
import { cli } from './support';

const dynamo = withEmbeddedDynamo();
const MARK = FIRST_COMMITS_INDEX.partitionKey.name;

/** A table from before the first-commits index: its first commits carry no mark, so the index misses them. */
const unmark = (streamId: string) =>
  dynamo.client.send(
    new UpdateItemCommand({
      TableName: dynamo.tableNames.events,
      Key: { streamId: { S: streamId }, version: { N: '1' } },
      UpdateExpression: 'REMOVE #mark',
      ExpressionAttributeNames: { '#mark': MARK },
    }),
  );

describe('rotation index-streams', () => {
  it('marks the first commits written before the index, so every rotation is listed again; a second run marks nothing', async () => {
    const { service } = fixtureOn(dynamo);
    for (const id of ['old-one', 'old-two', 'new-one']) await playScriptedNight(service, id);
    const store = createDynamoEventStore({ client: dynamo.client, tableName: dynamo.tableNames.events });
    await unmark(streamOf('old-one'));
    await unmark(streamOf('old-two'));
    expect(await store.listStreamIds()).toEqual([streamOf('new-one')]);

    const first = await cli(dynamo, ['index-streams']);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^Marked 2 rotation\(s\) for the first-commits index in DynamoDB at http:\/\/127\.0\.0\.1:\d+ \(.*\); 1 already were\.\n$/);
    expect((await store.listStreamIds()).sort()).toEqual([streamOf('new-one'), streamOf('old-one'), streamOf('old-two')]);

    // Only first commits carry the mark, and the chain still verifies (the mark is not hashed content).
    const second = await dynamo.client.send(
      new GetItemCommand({ TableName: dynamo.tableNames.events, Key: { streamId: { S: streamOf('old-one') }, version: { N: '2' } } }),
    );
    expect(second.Item?.[MARK]).toBeUndefined();
    expect(await cli(dynamo, ['audit', 'old-one', '--verify'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Verified.') });

    const again = await cli(dynamo, ['index-streams']);
    expect(again.stdout).toMatch(/Marked 0 rotation\(s\) .*; 3 already were\.\n$/);
  });

  it('takes no arguments', async () => {
    expect(await cli(dynamo, ['index-streams', 'extra'])).toMatchObject({ code: 2, stderr: expect.stringContaining('Unexpected argument "extra"') });
  });
});
