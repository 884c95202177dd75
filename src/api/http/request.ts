import type { Context } from 'hono';
import { invalidRequest } from './errors';

/** Bodies beyond this are refused before parsing: no request of the API needs more. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface ParsedBody {
  readonly raw: string;
  readonly value: unknown;
}

/** The size limit is enforced by the app's bodyLimit middleware while the body streams in. */
export const readJsonBody = async (c: Context): Promise<ParsedBody> => {
  const raw = await c.req.text();
  if (raw.trim() === '') return { raw: '', value: undefined };
  try {
    return { raw, value: JSON.parse(raw) };
  } catch {
    throw invalidRequest('The request body is not valid JSON.');
  }
};


/** Query parameters, each given at most once; which ones a route takes is its query schema's business. */
export const readQuery = (c: Context): Record<string, string> => {
  const result: Record<string, string> = {};
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (values.length > 1) throw invalidRequest(`Query parameter \`${name}\` is given more than once.`);
    result[name] = values[0]!;
  }
  return result;
};
