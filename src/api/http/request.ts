import type { Context } from 'hono';
import { ApiError, invalidRequest } from './errors';
import type { Upload } from './route';

/** Bodies beyond this are refused before parsing: no request of the API needs more. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface ParsedBody {
  readonly raw: string;
  readonly value: unknown;
}

/**
 * Bodies read straight from the Node request (one machine: @hono/node-server hands it over as `env.incoming`),
 * keyed by the request: reading them there skips building a web Request and its stream for every command.
 */
const nodeBodies = new WeakMap<object, Buffer>();

interface NodeIncoming {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly readableEnded: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

const nodeIncomingOf = (c: Context): NodeIncoming | undefined => {
  const incoming = (c.env as { incoming?: NodeIncoming } | undefined)?.incoming;
  return incoming && typeof incoming.on === 'function' && typeof incoming.headers === 'object' ? incoming : undefined;
};

/**
 * Reads the body of a request served by Node, up to maxSize bytes: true once it is read (readJsonBody takes it
 * from there), false when it is larger (nothing more is read), undefined when the request is not Node's (Lambda).
 */
export const readNodeBody = (c: Context, maxSize: number): Promise<boolean> | undefined => {
  const incoming = nodeIncomingOf(c);
  if (!incoming) return undefined;
  const declared = incoming.headers['content-length'];
  if (typeof declared === 'string' && incoming.headers['transfer-encoding'] === undefined && Number(declared) > maxSize) return Promise.resolve(false);
  if (incoming.readableEnded) {
    nodeBodies.set(c.req.raw, Buffer.alloc(0));
    return Promise.resolve(true);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxSize) {
        done();
        resolve(false);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      nodeBodies.set(c.req.raw, Buffer.concat(chunks, size));
      resolve(true);
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    const onClose = () => {
      done();
      reject(invalidRequest('The request body was cut off.'));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
};

/** The body as UTF-8 text, as `c.req.text()` reads it (a byte order mark dropped). */
const bodyText = async (c: Context): Promise<string> => {
  const read = nodeBodies.get(c.req.raw);
  return read ? new TextDecoder().decode(read) : c.req.text();
};

/** The size limit is enforced by the app's bodyLimit middleware while the body streams in. */
export const readJsonBody = async (c: Context): Promise<ParsedBody> => {
  const raw = await bodyText(c);
  if (raw.trim() === '') return { raw: '', value: undefined };
  try {
    return { raw, value: JSON.parse(raw) };
  } catch {
    throw invalidRequest('The request body is not valid JSON.');
  }
};

/**
 * A JSON body that must say so (`Content-Type: application/json`), else 415: a web page can send text/plain or a
 * form to any address without a CORS preflight, but not JSON, so this keeps other sites' pages off a route.
 */
export const readDeclaredJsonBody = async (c: Context): Promise<ParsedBody> => {
  const contentType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== 'application/json') {
    throw new ApiError(415, 'unsupported-media-type', 'Send the body as JSON (Content-Type: application/json).');
  }
  return readJsonBody(c);
};

/** A file as it is: `{contentType, text}`, in one of the route's content types. */
export const readUpload = async (c: Context, upload: Upload): Promise<ParsedBody> => {
  const contentType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!Object.hasOwn(upload.contentTypes, contentType)) {
    throw new ApiError(415, 'unsupported-media-type', `Send the file as ${Object.keys(upload.contentTypes).join(' or ')} (Content-Type).`);
  }
  const raw = decodeFile(new Uint8Array(await c.req.arrayBuffer()), charsetOf(c.req.header('content-type') ?? ''));
  return { raw, value: { contentType, text: raw } };
};

const charsetOf = (header: string): string | undefined => /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(header)?.[1];

/**
 * A file's bytes as text: in the charset its Content-Type names, else UTF-8; bytes that are not UTF-8 and name no
 * charset are read as Windows-1252, which is what Excel's plain "CSV" export writes, so "Café" stays "Café".
 */
const decodeFile = (bytes: Uint8Array, charset: string | undefined): string => {
  if (charset !== undefined) {
    try {
      return new TextDecoder(charset).decode(bytes); // never throws on bytes (not fatal), only on an unknown label
    } catch {
      throw new ApiError(415, 'unsupported-media-type', `The charset \`${charset.slice(0, 40)}\` is not one this server reads: save the file as UTF-8.`);
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
};

/** Query parameters, each given at most once; which ones a route takes is its query schema's business. */
export const readQuery = (c: Context): Record<string, string> => {
  // No prototype: `?__proto__=…` is a parameter like any other (refused as unknown), not a silently dropped one.
  const result: Record<string, string> = Object.create(null);
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (values.length > 1) throw invalidRequest(`Query parameter \`${name}\` is given more than once.`);
    result[name] = values[0]!;
  }
  return result;
};
