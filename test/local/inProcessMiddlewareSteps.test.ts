import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../src/eventstore/dynamo';
import { SONGBOOK_TABLE } from '../../src/eventstore/tables';
import { withEmbeddedDynamo } from '../support/dynamo';

/**
 * Review W of 67a65a7: middleware added to the store's client that is not an absolute initialize-step entry (placed
 * relative to the client's own initialize middleware, or in the serialize/deserialize steps, where it sees the input
 * and the parsed output, never the HTTP request) must run in-process as over a port. And a low-level read returns an
 * attribute named `__proto__` as the SDK's parser does over the wire.
 */
describe.each(['tcp', 'in-process'] as const)('client middleware in other places (%s)', (transport) => {
  const dynamo = withEmbeddedDynamo({ transport });
  const pk = SONGBOOK_TABLE.partitionKey.name;
  const sk = SONGBOOK_TABLE.sortKey!.name;

  const countWhile = async (client: DynamoDBClient, add: (hit: () => void) => string): Promise<number> => {
    let hits = 0;
    const name = add(() => hits++);
    try {
      await client.send(new PutItemCommand({ TableName: dynamo.tableNames.songbook, Item: { [pk]: { S: 'steps' }, [sk]: { S: name } } }));
    } finally {
      client.middlewareStack.remove(name);
    }
    return hits;
  };

  it('runs middleware added relative to the client’s own initialize middleware', async () => {
    const hits = await countWhile(dynamo.client, (hit) => {
      dynamo.client.middlewareStack.addRelativeTo(((next: (args: unknown) => Promise<unknown>) => async (args: unknown) => (hit(), next(args))) as never, { relation: 'after', toMiddleware: 'loggerMiddleware', name: 'afterLogger' });
      return 'afterLogger';
    });
    expect(hits).toBe(1);
  });

  it('runs serialize-step middleware, which sees the input', async () => {
    const hits = await countWhile(dynamo.client, (hit) => {
      dynamo.client.middlewareStack.add((next) => async (args) => (hit(), next(args)), { step: 'serialize', name: 'seeInput' });
      return 'seeInput';
    });
    expect(hits).toBe(1);
  });

  it('runs deserialize-step middleware, which sees the parsed output', async () => {
    const hits = await countWhile(dynamo.client, (hit) => {
      dynamo.client.middlewareStack.add((next) => async (args) => {
        const result = await next(args);
        hit();
        return result;
      }, { step: 'deserialize', name: 'seeOutput' });
      return 'seeOutput';
    });
    expect(hits).toBe(1);
  });

  it('returns an attribute named __proto__ from a low-level read, as the SDK parses it from the wire', async () => {
    // Written as review V's tmp/proto.ts does (document client UpdateCommand, with a `constructor` attribute beside it).
    const Key = { [pk]: 'proto', [sk]: '1' };
    await documentClient(dynamo.client).send(new PutCommand({ TableName: dynamo.tableNames.songbook, Item: { ...Key, v: 1 } }));
    await documentClient(dynamo.client).send(
      new UpdateCommand({ TableName: dynamo.tableNames.songbook, Key, UpdateExpression: 'SET #x = :x, #c = :c', ExpressionAttributeNames: { '#x': '__proto__', '#c': 'constructor' }, ExpressionAttributeValues: { ':x': { polluted: 'yes' }, ':c': 'ctor' } }),
    );
    const { Item } = await dynamo.client.send(new GetItemCommand({ TableName: dynamo.tableNames.songbook, Key: { [pk]: { S: 'proto' }, [sk]: { S: '1' } }, ConsistentRead: true }));
    expect(Object.keys(Item!)).toContain('__proto__');
    expect(Object.getPrototypeOf(Item)).toBe(Object.prototype);
  });
});
