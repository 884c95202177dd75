/**
 * Item commands (GetItem, PutItem, Query, … dynaliteActions.ts) sent through the in-process store's client, or
 * through its document client (documentClient, eventstore/dynamo.ts), are answered beneath the SDK's middleware:
 * writing the request, signing it, writing the answer as JSON, checksumming it and parsing it again were most of
 * their cost. Table commands, sends with options and commands carrying middleware of their own go the SDK's whole
 * way, to the server inProcessTransport.ts emulates; so do item commands while the client has middleware added to
 * it (a test's fault or count, a capacity counter: it is expected to run for every command), except middleware of
 * the build and finalizeRequest steps, which works on the HTTP request that the short way never makes.
 */
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../eventstore/dynamo';
import { isDynaliteItemOperation } from './dynaliteActions';
import { answerAsParsed, JSON_HEADERS, requestAsJson, type InProcessHandler, type SdkResponse } from './inProcessTransport';

/** What the client's middleware hands a command's handler (@smithy/types), as far as used here. */
interface OperationContext {
  readonly __smithy_context?: { readonly operationSchema?: readonly [number, string, string, unknown, unknown, unknown] };
}
type Middleware = (next: (args: { input: unknown }) => Promise<unknown>, context: OperationContext) => (args: { input: unknown }) => Promise<unknown>;
interface MiddlewareStack {
  add(middleware: Middleware, options: { step: string; name: string }): void;
}
/** A command as sent (a document client's carries the DynamoDB command it becomes). */
interface SentCommand {
  readonly middlewareStack: { identify(): readonly string[] };
  readonly schema?: readonly unknown[];
  readonly clientCommand?: { readonly schema?: readonly unknown[] };
  resolveMiddleware(stack: MiddlewareStack, config: unknown, options: undefined): (command: unknown) => Promise<{ output: unknown }>;
}

/** The DynamoDB operation a command (or a document client's command) is: `PutItem`. */
const operationOf = (command: SentCommand): string | undefined => {
  const name = (command.clientCommand ?? command).schema?.[2];
  return typeof name === 'string' ? name : undefined;
};

/**
 * The middleware an item command runs with here: its own (a document client's marshalling, the endpoint) and, where
 * the SDK would write the request, send it, check, sign and retry it and parse the answer, one step that hands the
 * input to dynalite's action and its answer back as the SDK would have parsed it. An error answer still goes through
 * the SDK's own parser, so callers get the very exception the wire gives.
 */
const itemStack = (client: DynamoDBClient, handler: InProcessHandler): MiddlewareStack => {
  // A new command's stack is an empty one (the SDK exports no constructor for it).
  const stack = new GetItemCommand({ TableName: '', Key: {} }).middlewareStack as unknown as MiddlewareStack;
  const protocol = client.config.protocol as unknown as {
    deserializeResponse(operation: object, context: object, response: SdkResponse): Promise<unknown>;
  };
  // Named as the SDK's own serializer is: a command places its marshalling and endpoint middleware before it.
  stack.add((next) => (args) => next(args), { step: 'serialize', name: 'serializerMiddleware' });
  stack.add(
    (_next, context) => async (args) => {
      const [, namespace, name, traits, input, output] = context.__smithy_context?.operationSchema ?? [];
      // The request as its JSON body would carry it, parsed afresh: dynalite's checks change what they are given.
      const answered = name === undefined ? undefined : handler.answer(name, JSON.parse(JSON.stringify(requestAsJson(args.input) ?? {})));
      if (!answered) throw new Error(`the in-process store does not answer ${String(name)} directly`);
      const answer = await answered;
      if ('output' in answer) return { output: { ...(answerAsParsed(answer.output) as object), $metadata: { httpStatusCode: 200 } }, response: {} };
      const response = { statusCode: answer.statusCode, headers: { ...JSON_HEADERS }, body: Buffer.from(JSON.stringify(answer.body)) };
      return { output: await protocol.deserializeResponse({ name, namespace, traits, input, output }, { ...client.config, ...context }, response), response };
    },
    { step: 'deserialize', name: 'deserializerMiddleware' },
  );
  return stack;
};

type StackMethod = (...args: unknown[]) => unknown;

/** Steps whose middleware works on the HTTP request (headers, signing, retries), which the short way never makes. */
const REQUEST_STEPS = new Set(['build', 'finalizeRequest']);
const STEPS = new Set(['initialize', 'serialize', 'build', 'finalizeRequest', 'deserialize']);

/**
 * The step each entry of a stack's identify() runs in: `name - step`, or for one added relative to another,
 * `name - before|after anchor`, which runs in its anchor's step (undefined when the anchor is not there).
 */
const stepsOf = (entries: readonly string[]): Map<string, string | undefined> => {
  const parsed = entries.map((entry) => {
    const at = entry.lastIndexOf(' - ');
    const [, name = '', aliases] = /^(.*?)(?: \(a\.k\.a\. (.*)\))?$/.exec(entry.slice(0, at)) ?? [];
    return { entry, names: [name, ...(aliases?.split(',') ?? [])], where: entry.slice(at + 3) };
  });
  const byName = new Map(parsed.flatMap((p) => p.names.map((name) => [name, p] as const)));
  const stepOf = (p: (typeof parsed)[number], depth = 0): string | undefined => {
    if (STEPS.has(p.where)) return p.where;
    const anchor = byName.get(p.where.replace(/^(before|after) /, ''));
    return anchor && depth < parsed.length ? stepOf(anchor, depth + 1) : undefined;
  };
  return new Map(parsed.map((p) => [p.entry, stepOf(p)]));
};

/**
 * Whether middleware the client was not made with would run for item commands: anything added to its stack since,
 * except in the steps that work on the HTTP request (Powertools' user agent is one). Kept current as the stack changes.
 */
const watchAddedMiddleware = (client: DynamoDBClient): (() => boolean) => {
  const stack = client.middlewareStack as unknown as { identify(): string[] } & Record<string, StackMethod>;
  const made = new Set(stack.identify());
  let added = false;
  for (const method of ['add', 'addRelativeTo', 'use', 'remove', 'removeByTag']) {
    const change = stack[method]!.bind(stack);
    stack[method] = (...args) => {
      const result = change(...args);
      added = [...stepsOf(stack.identify())].some(([entry, step]) => !made.has(entry) && !(step !== undefined && REQUEST_STEPS.has(step)));
      return result;
    };
  }
  return () => added;
};

/** The client's and its document client's `send` take item commands the short way (see the top of this file). */
export const answerInProcess = (client: DynamoDBClient, handler: InProcessHandler): void => {
  const stack = itemStack(client, handler);
  const middlewareAdded = watchAddedMiddleware(client);
  type Sender = { readonly config: unknown; send(command: unknown, ...rest: unknown[]): Promise<unknown> };
  for (const sender of [client, documentClient(client)] as Sender[]) {
    const send = sender.send.bind(sender);
    sender.send = (command: unknown, ...rest: unknown[]) => {
      const sent = command as SentCommand;
      // Middleware of the command's own may need the HTTP request (headers, signing), which is not made here.
      const short =
        rest.length === 0 && isDynaliteItemOperation(operationOf(sent) ?? '') && sent.middlewareStack.identify().length === 0 && !middlewareAdded();
      if (!short) return send(command, ...rest);
      // The sender's config: a document client's carries its marshalling options.
      return sent.resolveMiddleware(stack, sender.config, undefined)(command).then((result) => result.output);
    };
  }
};
