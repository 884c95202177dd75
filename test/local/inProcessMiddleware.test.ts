import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../src/eventstore/dynamo';
import { SONGBOOK_TABLE } from '../../src/eventstore/tables';
import { withEmbeddedDynamo } from '../support/dynamo';

/**
 * Middleware added to the store's client (request counting, fault injection in tests, Powertools' and tracers'
 * own) must see item commands on the in-process store as it does over a port: callers and tests rely on it
 * (dynamoEventStore.test.ts counts Query requests, caughtUpMark.test.ts refuses queue view writes this way).
 */
describe.each(['tcp', 'in-process'] as const)('middleware on the store client (%s)', (transport) => {
  const dynamo = withEmbeddedDynamo({ transport });
  const pk = SONGBOOK_TABLE.partitionKey.name;
  const sk = SONGBOOK_TABLE.sortKey!.name;

  const seen = (client: DynamoDBClient) => {
    const names: string[] = [];
    client.middlewareStack.add((next, context) => async (args) => (names.push(String(context.commandName)), next(args)), { step: 'initialize', name: 'seenByTest' });
    return { names, stop: () => client.middlewareStack.remove('seenByTest') };
  };

  it('runs for item commands, through the client and its document client', async () => {
    const { names, stop } = seen(dynamo.client);
    try {
      await dynamo.client.send(new PutItemCommand({ TableName: dynamo.tableNames.songbook, Item: { [pk]: { S: 'm' }, [sk]: { S: '1' } } }));
      await dynamo.client.send(new GetItemCommand({ TableName: dynamo.tableNames.songbook, Key: { [pk]: { S: 'm' }, [sk]: { S: '1' } } }));
      await documentClient(dynamo.client).send(new GetCommand({ TableName: dynamo.tableNames.songbook, Key: { [pk]: 'm', [sk]: '1' } }));
    } finally {
      stop();
    }
    expect(names).toEqual(['PutItemCommand', 'GetItemCommand', 'GetItemCommand']);
  });

  it.each([
    ['after an initialize one', { relation: 'after', toMiddleware: 'loggerMiddleware' }],
    ['in the serialize step', { step: 'serialize' }],
    ['in the deserialize step', { step: 'deserialize' }],
  ] as const)('runs when added %s', async (_name, where) => {
    const names: string[] = [];
    const middleware = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => (names.push(String(context.commandName)), next(args));
    const stack = dynamo.client.middlewareStack as unknown as { add(m: unknown, o: object): void; addRelativeTo(m: unknown, o: object): void };
    if ('relation' in where) stack.addRelativeTo(middleware, { ...where, name: 'seenRelative' });
    else stack.add(middleware, { ...where, name: 'seenRelative' });
    try {
      await dynamo.client.send(new GetItemCommand({ TableName: dynamo.tableNames.songbook, Key: { [pk]: { S: 'm' }, [sk]: { S: '1' } } }));
    } finally {
      dynamo.client.middlewareStack.remove('seenRelative');
    }
    expect(names).toEqual(['GetItemCommand']);
  });

  it('leaves item commands the short way for middleware that works on the HTTP request (as Powertools adds)', async () => {
    const handler = dynamo.client.config.requestHandler as unknown as { handle: (...args: unknown[]) => unknown };
    const handle = handler.handle;
    let served = 0;
    handler.handle = (...args) => (served++, handle.apply(handler, args));
    (dynamo.client.middlewareStack as unknown as { addRelativeTo(m: unknown, o: object): void }).addRelativeTo(
      (next: (args: unknown) => Promise<unknown>) => (args: unknown) => next(args),
      { relation: 'after', toMiddleware: 'getUserAgentMiddleware', name: 'userAgentLike' },
    );
    try {
      await dynamo.client.send(new GetItemCommand({ TableName: dynamo.tableNames.songbook, Key: { [pk]: { S: 'm' }, [sk]: { S: '1' } } }));
    } finally {
      dynamo.client.middlewareStack.remove('userAgentLike');
      handler.handle = handle;
    }
    // Over a port every request is served; in-process the item command is answered before the handler.
    expect(served).toBe(transport === 'tcp' ? 1 : 0);
  });

  it('can refuse an item write, as a test injecting a fault does', async () => {
    dynamo.client.middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error('refused (test)'), { name: 'TimeoutError' });
      },
      { step: 'initialize', name: 'refuseByTest' },
    );
    try {
      await expect(dynamo.client.send(new PutItemCommand({ TableName: dynamo.tableNames.songbook, Item: { [pk]: { S: 'm' }, [sk]: { S: '2' } } }))).rejects.toThrow('refused (test)');
    } finally {
      dynamo.client.middlewareStack.remove('refuseByTest');
    }
  });
});
