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
 * One call to the API. Every write carries a fresh Idempotency-Key, so a retry of the same click (a flaky
 * venue Wi-Fi) can never act twice.
 */
export const callApi = async <T>(
  method: Method,
  path: string,
  { token, body, raw }: { token?: string; body?: unknown; raw?: { data: string | Blob; contentType: string } } = {},
): Promise<T> => {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  // A file sent as it is (a songbook): its own bytes (the server reads their charset), in its own content type.
  if (raw) headers['content-type'] = raw.contentType;
  if (method !== 'GET') headers['idempotency-key'] = randomId();
  let response: Response;
  try {
    response = await fetch(apiUrl(path), { method, headers, body: raw ? raw.data : body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'offline', 'Cannot reach the server. Check the Wi-Fi and try again.');
  }
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
