import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../src/eventstore/dynamo';
import { SONGBOOK_TABLE } from '../../src/eventstore/tables';
import { withEmbeddedDynamo } from '../support/dynamo';

/**
 * lib-dynamodb keeps a document client's translate options on the client's config object, which every document
 * client made from that client shares: one made elsewhere (a test helper, a library) must not turn off the
 * undefined-dropping the adapters rely on.
 */
describe.each(['tcp', 'in-process'] as const)('documentClient (%s)', (transport) => {
  const dynamo = withEmbeddedDynamo({ transport });
  const pk = SONGBOOK_TABLE.partitionKey.name;
  const sk = SONGBOOK_TABLE.sortKey!.name;

  it('still drops undefined fields after another document client is made from the same client', async () => {
    documentClient(dynamo.client);
    DynamoDBDocumentClient.from(dynamo.client);
    const Key = { [pk]: 'doc-cache', [sk]: '1' };
    await documentClient(dynamo.client).send(new PutCommand({ TableName: dynamo.tableNames.songbook, Item: { ...Key, m: { kept: 1, gone: undefined } } }));
    const { Item } = await documentClient(dynamo.client).send(new GetCommand({ TableName: dynamo.tableNames.songbook, Key, ConsistentRead: true }));
    expect(Item).toEqual({ ...Key, m: { kept: 1 } });
  });
});
