/**
 * An AWS SDK request handler that hands each request straight to an http.Server's `request` listeners, in this
 * process, with no socket: the embedded dynalite then has no port, so no other process on the machine can
 * reach the store (contacts included), and no browser can either (its CORS answers never leave the process).
 * Item commands skip even that (directItemCommands.ts): dynalite's own actions answer them (dynaliteActions.ts,
 * through `answer` below) and the answer goes back as the object it is; this file has the walks that turn their
 * requests and answers into the form JSON would have given them.
 */
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { PassThrough } from 'node:stream';
import type { DynaliteAnswer, DynaliteOperation } from './dynaliteActions';

/** The parts of the SDK's HttpRequest used here (@smithy/types, which the SDK passes in). */
interface SdkRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: Record<string, string | string[] | null>;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/** Shaped as the SDK's HttpResponse (it checks the shape, not the class). */
export interface SdkResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

const queryString = (query: SdkRequest['query']): string => {
  const pairs = Object.entries(query ?? {}).flatMap(([k, v]) => (v === null ? [k] : (Array.isArray(v) ? v : [v]).map((x) => `${k}=${encodeURIComponent(x)}`)));
  return pairs.length ? `?${pairs.join('&')}` : '';
};

const bodyBytes = async (body: unknown): Promise<Buffer> => {
  if (body === undefined || body === null) return Buffer.alloc(0);
  // The SDK's JSON body is a Uint8Array that also acts as a string: read its bytes, as a socket would.
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
};

/** The response side of one request, as much of http.ServerResponse as dynalite uses. */
class CapturedResponse extends EventEmitter {
  statusCode = 200;
  private readonly headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];
  contentType?: string; // dynalite keeps its negotiated type here

  constructor(private readonly done: (response: SdkResponse) => void) {
    super();
  }
  setHeader(name: string, value: string | number | readonly string[]) {
    this.headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    return this;
  }
  getHeader(name: string) {
    return this.headers[name.toLowerCase()];
  }
  removeHeader(name: string) {
    delete this.headers[name.toLowerCase()];
  }
  writeHead(statusCode: number, headers?: Record<string, string | number>) {
    this.statusCode = statusCode;
    for (const [name, value] of Object.entries(headers ?? {})) this.setHeader(name, value);
    return this;
  }
  write(chunk: string | Uint8Array) {
    this.chunks.push(Buffer.from(chunk));
    return true;
  }
  end(chunk?: string | Uint8Array) {
    if (chunk !== undefined) this.write(chunk);
    this.emit('finish');
    // The bytes themselves, not a stream of them: the SDK takes a Uint8Array body as it is, and collecting a
    // stream costs every answer a few more turns of the event loop, which a busy writer waits through.
    this.done({ statusCode: this.statusCode, headers: this.headers, body: Buffer.concat(this.chunks) });
    return this;
  }
}

export const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.0' };

/** Base64 as the SDK decodes it: a plain Uint8Array (a Buffer is one too, but not equal to one). */
const bytesOf = (base64: string): Uint8Array => {
  const buffer = Buffer.from(base64, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
};

/** What a `convert` of asWire says of a member: look inside it as usual, or leave it out (as JSON leaves undefined). */
const KEEP = Symbol('keep');
const DROP = Symbol('drop');

/**
 * A value as JSON would carry it one way or the other, with `convert` saying what becomes of each member (by its
 * key in an object). Arrays and objects are copied only where a member changes, or to make a plain object of one
 * with another prototype (JSON.parse makes plain ones; dynalite makes some with none): the other side of the
 * exchange may still hold them.
 */
const asWire = (value: unknown, convert: (member: unknown, key?: string) => unknown): unknown => {
  if (typeof value !== 'object' || value === null) return value;
  const step = (member: unknown, key?: string) => {
    const converted = convert(member, key);
    return converted === KEEP ? asWire(member, convert) : converted;
  };
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const converted = step(value[i]);
      if (converted !== value[i]) (copy ??= value.slice())[i] = converted === DROP ? null : converted;
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined = Object.getPrototypeOf(value) === Object.prototype ? undefined : { ...value };
  // Own members only, as JSON writes them; and defined, not assigned: assigning `__proto__` would set the prototype.
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    const converted = step(field, key);
    if (converted === DROP) delete (copy ??= { ...value })[key];
    else if (converted !== field) Object.defineProperty((copy ??= { ...value }), key, { value: converted, enumerable: true, writable: true, configurable: true });
  }
  return copy ?? value;
};

/** A request's values as its JSON body carries them: bytes (B, BS) as base64. */
export const requestAsJson = (input: unknown): unknown =>
  asWire(input, (member) => (member instanceof Uint8Array ? Buffer.from(member.buffer, member.byteOffset, member.byteLength).toString('base64') : KEEP));

/** dynalite's answer as the SDK parses it from JSON: base64 binary attributes (B, BS) as bytes, no undefined fields. */
export const answerAsParsed = (output: unknown): unknown =>
  asWire(output, (member, key) => {
    if (member === undefined) return DROP;
    if (key === 'B' && typeof member === 'string') return bytesOf(member);
    if (key === 'BS' && Array.isArray(member)) return member.map((b: string) => bytesOf(b));
    return KEEP;
  });

/** What a socket client sees once the store is closed: a refused connection, which callers treat as unreachable. */
const refused = () => Object.assign(new Error('connect ECONNREFUSED: the embedded store is closed'), { code: 'ECONNREFUSED' });

export interface InProcessOptions {
  /** When the store has begun closing: dynalite must get no request then (it would throw out of a callback). */
  readonly isClosed?: () => boolean;
  /** The operations (`PutItem`) answered without the server (dynaliteActions.ts); undefined for those it serves. */
  readonly direct?: (name: string) => DynaliteOperation | undefined;
}

export type InProcessHandler = ReturnType<typeof inProcessRequestHandler>;

export const inProcessRequestHandler = (server: Server, { isClosed = () => false, direct }: InProcessOptions = {}) => {
  let directInFlight = 0;
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    /** Requests answered without the server not answered yet (the server's own are counted on its side). */
    directInFlight: () => directInFlight,
    /** An item operation's answer from dynalite's action (`data` fresh: its checks change it); undefined for others. */
    answer(name: string, data: unknown): Promise<DynaliteAnswer> | undefined {
      const operation = direct?.(name);
      if (!operation) return undefined;
      if (isClosed()) return Promise.reject(refused());
      directInFlight++;
      return operation(data).finally(() => directInFlight--);
    },
    async handle(request: SdkRequest): Promise<{ response: SdkResponse }> {
      if (isClosed()) throw refused();
      const body = await bodyBytes(request.body);
      const incoming = Object.assign(new PassThrough(), {
        method: request.method,
        url: `${request.path}${queryString(request.query)}`,
        headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
        httpVersion: '1.1',
      });
      if (isClosed()) throw refused();
      return new Promise((resolve) => {
        const outgoing = new CapturedResponse((response) => resolve({ response }));
        server.emit('request', incoming, outgoing);
        incoming.end(body);
      });
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
    destroy: () => {},
  };
};
