import * as z from 'zod';
import { reject } from '../../aggregates/decider';
import { rejectionError } from '../http/errors';
import type { Endpoint, ErrorCase } from '../http/route';
import { IDEMPOTENCY_KEY, id } from './fields';
import { ErrorAnswer } from './schemas';

/**
 * The OpenAPI 3.1 document of the routes an app serves, assembled from the schemas that validate them
 * (zod's own JSON Schema output, draft 2020-12, which is OpenAPI 3.1's dialect).
 */

type Json = Record<string, unknown>;
type Components = Record<string, Json>;

export const SECURITY_SCHEMES = {
  localToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'On one machine (`npm start`): a token from `POST /auth/guest` or `POST /auth/kj` (or `POST /dev/token`, loopback only), signed with the data folder’s secret.',
  },
  cognito: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'In AWS: a Cognito ID or access token of the stack’s user pool; `cognito:groups` holds `kj` or `singer`.',
  },
} as const;

const COMPONENT = '#/components/schemas/';

/** Rewrites zod's local `#/$defs/X` references to the document's components, collecting the definitions. */
const relocate = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(relocate);
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$schema' || key === '$defs') continue;
    out[key] = key === '$ref' && typeof inner === 'string' ? inner.replace('#/$defs/', COMPONENT) : relocate(inner);
  }
  return out;
};

const jsonSchemaOf = (schema: z.ZodType, components: Components): Json => {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Json;
  for (const [name, definition] of Object.entries((generated.$defs ?? {}) as Components)) {
    const moved = relocate(definition) as Json;
    if (components[name] && JSON.stringify(components[name]) !== JSON.stringify(moved)) {
      throw new Error(`Two different schemas are both named ${name} in the OpenAPI document.`);
    }
    components[name] = moved;
  }
  return relocate(generated) as Json;
};

const toOpenApiPath = (honoPath: string) => honoPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const paramNames = (honoPath: string) => [...honoPath.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);

/** Every answer a route can give that is not its success: the generic ones of its kind, then its own. */
export const errorCasesOf = (endpoint: Endpoint): ErrorCase[] => {
  const signedIn = endpoint.roles !== undefined;
  const write = endpoint.method !== 'GET';
  const cases: ErrorCase[] = [];
  if (write || endpoint.query || paramNames(endpoint.path).length > 0) cases.push({ status: 400, code: 'invalid-request' });
  if (signedIn) cases.push({ status: 401, code: 'unauthorized' }, { status: 403, code: 'forbidden' });
  if (signedIn && paramNames(endpoint.path).length > 0) cases.push({ status: 404, code: 'not-found' });
  if (write) cases.push({ status: 413, code: 'payload-too-large' });
  if (endpoint.upload) cases.push({ status: 415, code: 'unsupported-media-type' });
  if (write && signedIn) cases.push({ status: 409, code: 'conflict' }, { status: 422, code: 'idempotency-key-reused' });
  for (const code of endpoint.rejects ?? []) {
    const { status, code: answered } = rejectionError(reject(code, ''));
    cases.push({ status, code: answered });
  }
  cases.push(...(endpoint.errors ?? []));
  if (signedIn) cases.push({ status: 503, code: 'unavailable' });
  const seen = new Set<string>();
  return cases.filter(({ status, code }) => !seen.has(`${status} ${code}`) && seen.add(`${status} ${code}`));
};

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  302: 'Found',
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Unsupported content type',
  422: 'Refused',
  429: 'Too many requests',
  503: 'Unavailable; retry after `Retry-After` seconds',
};

const operation = (endpoint: Endpoint, components: Components): Json => {
  const { success } = endpoint;
  const parameters: Json[] = paramNames(endpoint.path).map((name) => ({ name, in: 'path', required: true, schema: jsonSchemaOf(id(), components) }));
  if (endpoint.query) {
    const query = jsonSchemaOf(endpoint.query, components);
    const required = new Set((query.required ?? []) as string[]);
    for (const [name, schema] of Object.entries((query.properties ?? {}) as Components)) {
      const { description, ...rest } = schema;
      parameters.push({ name, in: 'query', required: required.has(name), schema: rest, ...(description ? { description } : {}) });
    }
  }
  if (endpoint.method !== 'GET' && endpoint.roles) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Retries with the same key and body get the first answer; the same key with another body → 422.',
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source },
    });
  }
  const body = endpoint.body;
  const requestBody = endpoint.upload
    ? {
        required: true,
        description: `At most ${endpoint.upload.maxBytes / 1024 / 1024} MB (less in AWS, see the route's description).`,
        content: Object.fromEntries(Object.entries(endpoint.upload.contentTypes).map(([type, schema]) => [type, { schema: jsonSchemaOf(schema, components) }])),
      }
    : body
    ? {
        required: true,
        content: {
          'application/json': {
            schema:
              'safeParse' in body
                ? jsonSchemaOf(body, components)
                : { anyOf: Object.values(body).map((schema) => jsonSchemaOf(schema, components)), description: 'The body depends on the caller’s role.' },
            // Which of those a caller of each role must send: the server validates against that one alone.
            ...('safeParse' in body ? {} : { 'x-body-by-role': Object.fromEntries(Object.entries(body).map(([role, schema]) => [role, jsonSchemaOf(schema, components)])) }),
          },
        },
      }
    : undefined;

  const responses: Json = {
    [success.status]: {
      description: success.description ?? STATUS_TEXT[success.status] ?? 'Success',
      ...(success.schema ? { content: { [success.contentType ?? 'application/json']: { schema: jsonSchemaOf(success.schema, components) } } } : {}),
    },
  };
  const errorRef = jsonSchemaOf(ErrorAnswer, components);
  const byStatus = new Map<number, string[]>();
  for (const { status, code } of errorCasesOf(endpoint)) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = {
      description: `${STATUS_TEXT[status] ?? 'Error'}: ${codes.map((c) => `\`${c}\``).join(', ')}`,
      content: {
        'application/json': {
          schema: { allOf: [errorRef, { properties: { error: { properties: { code: { enum: codes } } } } }] },
        },
      },
    };
  }
  const tag = endpoint.path.split('/')[1] || 'engine';
  return {
    operationId: `${endpoint.method.toLowerCase()}${toOpenApiPath(endpoint.path).replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: endpoint.summary,
    ...(endpoint.description || endpoint.roles
      ? {
          description: [endpoint.description, endpoint.roles ? `Who: ${endpoint.roles.join(' or ')}.` : '', endpoint.localOnly ? 'One machine only (`npm start`).' : '']
            .filter(Boolean)
            .join(' '),
        }
      : {}),
    tags: [tag],
    security: endpoint.roles ? [{ localToken: [] }, { cognito: [] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
    ...(endpoint.roles ? { 'x-roles': endpoint.roles } : {}),
  };
};

export const openApiDocument = (endpoints: readonly Endpoint[]): Json => {
  const components: Components = {};
  const paths: Record<string, Json> = {};
  for (const endpoint of endpoints) {
    const path = toOpenApiPath(endpoint.path);
    const item = (paths[path] ??= {});
    const method = endpoint.method.toLowerCase();
    if (item[method]) throw new Error(`${endpoint.method} ${endpoint.path} is declared twice.`);
    item[method] = operation(endpoint, components);
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'Karaoke rotation engine',
      version: '2026-12',
      description:
        'Commands and queries of a karaoke night’s singer rotation (API.md). JSON in and out. Every `POST`, `PUT` and `DELETE` accepts `Idempotency-Key`: the same key with the same body returns the first answer and has no second effect.',
    },
    paths,
    components: { schemas: components, securitySchemes: SECURITY_SCHEMES },
  };
};
