import { apiUrl } from './config';
import { randomId } from './ids';

/** An answer in the API's error shape `{error:{code,message}}`; `message` is written for a person. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Writes a person asked for whose answer never came (no connection, or a 5xx), by method, path, caller and body:
 * they may or may not have happened. The same write sent again is that person retrying the same intent, so it
 * carries the same Idempotency-Key and cannot act twice (a lost answer on the venue Wi-Fi, then "Add song" again).
 * A definitive answer to any write ends them all: what is sent after that is a new intent (away, back, away again).
 */
const unanswered = new Map<string, { key: string; at: number }>();
/** A retry comes soon after the failure; an identical write much later is a new intent. */
const RETRY_WINDOW_MS = 2 * 60_000;

const intentKey = (signature: string): string => {
  const held = unanswered.get(signature);
  return held && Date.now() - held.at < RETRY_WINDOW_MS ? held.key : randomId();
};

/**
 * One call to the API. Every write carries an Idempotency-Key: a fresh one per intent, the same one when the
 * person retries a write that got no answer. `background` marks a write the page makes by itself (a live ticket):
 * its own key every time, and it leaves the person's unanswered writes alone.
 */
export const callApi = async <T>(
  method: Method,
  path: string,
  {
    token,
    body,
    raw,
    background = false,
  }: { token?: string; body?: unknown; raw?: { data: string | Blob; contentType: string }; background?: boolean } = {},
): Promise<T> => {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  // A file sent as it is (a songbook): its own bytes (the server reads their charset), in its own content type.
  if (raw) headers['content-type'] = raw.contentType;
  // A file is not compared with an earlier one: each import is its own intent.
  const signature = method === 'GET' || background || raw ? undefined : `${method} ${path}\n${token ?? ''}\n${JSON.stringify(body) ?? ''}`;
  if (method !== 'GET') headers['idempotency-key'] = signature === undefined ? randomId() : intentKey(signature);
  const settled = (answered: boolean) => {
    if (signature === undefined) return;
    if (answered) unanswered.clear();
    else unanswered.set(signature, { key: headers['idempotency-key']!, at: Date.now() });
  };
  let response: Response;
  try {
    response = await fetch(apiUrl(path), { method, headers, body: raw ? raw.data : body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    settled(false);
    throw new ApiError(0, 'offline', 'Cannot reach the server. Check the Wi-Fi and try again.');
  }
  settled(response.status < 500);
  const text = await response.text();
  const parsed = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'error', error?.message ?? `The server answered ${response.status}.`);
  }
  return parsed as T;
};

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
