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
import type { InProcessHandler, SdkResponse } from './inProcessTransport';

const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.0' };

/** Base64 as the SDK decodes it: a plain Uint8Array (a Buffer is one too, but not equal to one). */
const bytesOf = (base64: string): Uint8Array => {
  const buffer = Buffer.from(base64, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
};

/** Sets an own member, as JSON.parse makes it: assigning `__proto__` would set the prototype instead. */
const setMember = (target: Record<string, unknown>, key: string, value: unknown): void => {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
};

/**
 * A request as dynalite would parse it from its JSON body, new from top to bottom (dynalite's checks change what
 * they are given), without writing and parsing the text: bytes (B, BS) as base64, undefined, functions and symbols
 * left out (null in a list), numbers JSON cannot write as null, `toJSON` honoured; strings are shared, not copied.
 */
const freshRequest = (value: unknown, key = ''): unknown => {
  // Bytes before toJSON: a Buffer has one, which would write them as a list of numbers.
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((member, i) => freshRequest(member, String(i)) ?? null);
  const copy: Record<string, unknown> = {};
  for (const name of Object.keys(value)) {
    const member = freshRequest((value as Record<string, unknown>)[name], name);
    if (member !== undefined) setMember(copy, name, member);
  }
  return copy;
};

/**
 * dynalite's answer as the SDK parses it from JSON: base64 binary attributes (B, BS) as bytes, no undefined members,
 * plain objects (dynalite makes some with no prototype). Copied only where something changes: the rest is dynalite's
 * own answer, made for this request alone.
 */
const answerAsParsed = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const member: unknown = value[i];
      const parsed = member === undefined ? null : answerAsParsed(member);
      if (parsed !== member) (copy ??= value.slice())[i] = parsed;
    }
    return copy ?? value;
  }
  const object = value as Record<string, unknown>;
  let copy = Object.getPrototypeOf(object) === Object.prototype ? undefined : { ...object };
  // Own members only: answers are plain objects or ones with no prototype.
  for (const key in object) {
    const member = object[key];
    if (member === undefined) {
      delete (copy ??= { ...object })[key];
      continue;
    }
    const parsed =
      key === 'B' && typeof member === 'string'
        ? bytesOf(member)
        : key === 'BS' && Array.isArray(member)
          ? member.map((b: string) => bytesOf(b))
          : answerAsParsed(member);
    if (parsed !== member) setMember((copy ??= { ...object }), key, parsed);
  }
  return copy ?? object;
};

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
      const answered = name === undefined ? undefined : handler.answer(name, freshRequest(args.input ?? {}));
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

/** Steps whose middleware works on the HTTP request (headers, signing, retries), which the short way never makes. */
const REQUEST_STEPS = new Set(['build', 'finalizeRequest']);

/** A middleware on the client's stack, with where it goes: a step, or relative to another (then in that one's step). */
interface Placed {
  readonly middleware?: unknown;
  readonly names: readonly string[];
  readonly tags?: readonly string[];
  readonly step?: string;
  readonly toMiddleware?: string;
}

/** The middleware a stack was made with, from its identify() (`name (a.k.a. …) - step` or `… - before|after anchor`). */
const placedIn = (entries: readonly string[]): Placed[] =>
  entries.map((entry) => {
    const at = entry.lastIndexOf(' - ');
    const [, name = '', aliases] = /^(.*?)(?: \(a\.k\.a\. (.*)\))?$/.exec(entry.slice(0, at)) ?? [];
    const where = entry.slice(at + 3);
    const relative = /^(?:before|after) (.*)$/.exec(where);
    return { names: [name, ...(aliases?.split(',') ?? [])], ...(relative ? { toMiddleware: relative[1] } : { step: where }) };
  });

type StackMethod = (...args: never[]) => unknown;

/**
 * Whether middleware the client was not made with would run for item commands: any added to its stack since and
 * not removed, unless it goes in a step that works on the HTTP request (Powertools' user agent does). What is added
 * is recorded as it is added: identify() leaves out an entry placed relative to one it cannot see (a document
 * command's marshalling, say), which would then still run over the wire.
 */
const watchAddedMiddleware = (client: DynamoDBClient): (() => boolean) => {
  const stack = client.middlewareStack as unknown as { identify(): string[] } & Record<'add' | 'addRelativeTo' | 'remove' | 'removeByTag', StackMethod>;
  const made = placedIn(stack.identify());
  let added: Placed[] = [];
  let runs = false;
  /** The step an entry runs in, following anchors; undefined when an anchor is not on the client's stack. */
  const stepOf = (entry: Placed, hops = 0): string | undefined => {
    if (entry.toMiddleware === undefined) return entry.step ?? 'initialize';
    const anchor = [...added, ...made].find((p) => p.names.includes(entry.toMiddleware!));
    return anchor && hops <= added.length + made.length ? stepOf(anchor, hops + 1) : undefined;
  };
  const wrap = (method: keyof typeof stack & string, record: (...args: unknown[]) => void) => {
    const original = (stack[method] as (...args: unknown[]) => unknown).bind(stack);
    (stack as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const result = original(...args);
      record(...args);
      runs = added.some((entry) => !REQUEST_STEPS.has(stepOf(entry) ?? ''));
      return result;
    };
  };
  type Options = { readonly name?: string; readonly tags?: readonly string[]; readonly step?: string; readonly toMiddleware?: string };
  const adding = (middleware: unknown, { name, tags, step, toMiddleware }: Options = {}) =>
    void added.push({ middleware, names: name === undefined ? [] : [name], ...(tags ? { tags } : {}), ...(toMiddleware === undefined ? { step } : { toMiddleware }) });
  wrap('add', (middleware, options) => adding(middleware, { ...(options as Options), toMiddleware: undefined }));
  wrap('addRelativeTo', (middleware, options) => adding(middleware, options as Options));
  wrap('remove', (removed) => (added = added.filter((a) => (typeof removed === 'string' ? !a.names.includes(removed) : a.middleware !== removed))));
  wrap('removeByTag', (tag) => (added = added.filter((a) => !a.tags?.includes(tag as string))));
  return () => runs;
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
