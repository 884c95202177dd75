/**
 * An AWS SDK request handler that hands each request straight to an http.Server's `request` listeners, in this
 * process, with no socket: the embedded dynalite then has no port, so no other process on the machine can
 * reach the store (contacts included), and no browser can either (its CORS answers never leave the process).
 * Item commands skip even that (directItemCommands.ts): dynalite's own actions answer them (dynaliteActions.ts,
 * through `answer` below) and the answer goes back as the object it is.
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
  // The SDK writes the body of a request with no input as the string "{}".
  if (typeof body === 'string') return Buffer.from(body);
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
