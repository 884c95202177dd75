import { createHash, randomUUID } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiDeps } from '../deps';
import { ApiError, errorBody, forbidden, storeError } from './errors';
import { IDEMPOTENT_REPLAYED_HEADER, type StoredResponse } from './idempotency';
import { principalFromClaims, type Claims, type Principal } from './principal';
import { MAX_BODY_BYTES, readJsonBody, readNodeBody, readQuery, readUpload } from './request';
import { ID_PATTERN, IDEMPOTENCY_KEY, id, object, query as queryOf } from '../contract/fields';
import { parseInput } from '../contract/issues';
import { NoBody } from '../contract/schemas';
import { JsonText, type Route } from './route';
import { addPublicRoutes } from './publicRoutes';
import { addPublicVenueRoutes, PUBLIC_VENUE_ENDPOINTS } from '../routes/publicVenueRoutes';
import type { Endpoint } from './route';

const NO_QUERY = queryOf({});
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * One request pipeline for every route: who is calling → may they → well-formed input → idempotency →
 * the handler → one error shape. Handlers only translate between HTTP and the domain's ports.
 */
export const createApp = (
  deps: ApiDeps,
  routes: readonly Route<ApiDeps>[],
  /** Routes served beside these (the one-machine extras), so the OpenAPI document covers them too. */
  { alsoServed = [] }: { alsoServed?: readonly Endpoint[] } = {},
): Hono => {
  const app = new Hono();
  // Counted while streaming, so a huge chunked body is cut off instead of buffered.
  const limited = (maxSize: number) =>
    bodyLimit({
      maxSize,
      // The rest of the body is never read, so the connection cannot carry another request: say so (API.md).
      onError: (c) => c.json(errorBody('payload-too-large', `The request body is larger than ${sizeText(maxSize)}.`), 413, { Connection: 'close' }),
    });
  const honoStandardLimit = limited(MAX_BODY_BYTES);
  // Served by Node (one machine), the body is read from the socket's request as it is; in Lambda, by hono.
  const standardLimit: MiddlewareHandler = async (c, next) => {
    const read = readNodeBody(c, MAX_BODY_BYTES);
    if (!read) return honoStandardLimit(c, next);
    if (await read) return next();
    return c.json(errorBody('payload-too-large', `The request body is larger than ${sizeText(MAX_BODY_BYTES)}.`), 413, { Connection: 'close' });
  };
  // Upload routes (no path parameters) take bigger bodies, up to what this deployment can carry.
  const uploadLimits = new Map(
    routes.filter((r) => r.upload).map((r) => [`${r.method} ${r.path}`, limited(Math.min(r.upload!.maxBytes, deps.maxUploadBytes ?? Infinity))]),
  );
  // Reads never read a body: asking whether they have one would build a whole web Request per read for nothing.
  app.use((c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : (uploadLimits.get(`${c.req.method} ${c.req.path}`) ?? standardLimit)(c, next),
  );

  // Liveness, the OpenAPI document and its page: open to anyone, the same in AWS and on one machine.
  addPublicRoutes(app, [...PUBLIC_VENUE_ENDPOINTS, ...routes, ...alsoServed]);
  addPublicVenueRoutes(app, deps);
  for (const route of routes) {
    const names = pathParams(route.path);
    const paramsSchema = object(Object.fromEntries(names.map((name) => [name, id()])));
    app.on(route.method, route.path, (c) => handleRoute(c, route, { names, schema: paramsSchema }, deps));
  }
  // A known path with an unknown method: say which methods it takes, in the usual error shape.
  const methodsByPath = new Map<string, string[]>();
  for (const { path, method } of routes) methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), method]);
  for (const [path, methods] of methodsByPath) {
    app.all(path, (c) =>
      c.json(errorBody('method-not-allowed', `${c.req.method} is not allowed here; use ${methods.join(' or ')}.`), 405, {
        Allow: methods.join(', '),
      }),
    );
  }
  app.notFound((c) => c.json(errorBody('not-found', `There is no route ${c.req.method} ${c.req.path}.`), 404));
  app.onError((err, c) => {
    const known = err instanceof ApiError ? err : storeError(err);
    if (known) return c.json(errorBody(known.code, known.message), known.status as ContentfulStatusCode, known.headers);
    deps.logger.error('unhandled error', { error: err as Error, path: c.req.path });
    return c.json(errorBody('internal', 'Something went wrong on our side; nothing was changed twice. Try again.'), 500);
  });
  return app;
};

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${bytes / 1024} KB`);

const requestIdOf = (c: Context): string => {
  const env = c.env as { event?: { requestContext?: { requestId?: string } } } | undefined;
  return env?.event?.requestContext?.requestId ?? c.req.header('x-request-id') ?? randomUUID();
};

/** The `:name`s of a Hono path pattern. */
export const pathParams = (path: string): string[] => [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);

/** The path parameters as checked ids: well-formed ones as they are, anything else through the schema's 400. */
const readParams = (c: Context, params: RouteParams): Record<string, string> => {
  const given = c.req.param() as Record<string, string>;
  if (params.names.every((name) => ID_PATTERN.test(given[name] ?? ''))) return given;
  return parseInput(params.schema, given, 'The path') as Record<string, string>;
};

/** Who a verified token's claims name: claims kept by a token cache are the same object on every request. */
const principals = new WeakMap<object, Principal | null>();
const principalOf = (claims: Claims): Principal | null => {
  let principal = principals.get(claims);
  if (principal === undefined) principals.set(claims, (principal = principalFromClaims(claims)));
  return principal;
};

/** Levels at which a request's INFO line is printed. */
const INFO_OR_BELOW = new Set(['TRACE', 'DEBUG', 'INFO']);

interface RouteParams {
  readonly names: readonly string[];
  readonly schema: ReturnType<typeof object>;
}

const handleRoute = async (c: Context, route: Route<ApiDeps>, routeParams: RouteParams, deps: ApiDeps) => {
  const started = Date.now();
  // Skipped at levels that would drop the line anyway: a request id and the fields cost on every request.
  const level = (deps.logger as Partial<Pick<ApiDeps['logger'], 'getLevelName'>>).getLevelName?.();
  const logging = level === undefined || INFO_OR_BELOW.has(level);
  const fields: Record<string, unknown> = logging ? { requestId: requestIdOf(c), method: route.method, route: route.path } : {};
  let response: StoredResponse;
  let replayed = false;
  let headers: Readonly<Record<string, string>> = {};
  try {
    const claims = await deps.claims(c);
    const principal = claims ? principalOf(claims) : null;
    if (!principal) throw new ApiError(401, 'unauthorized', 'Sign in first: send `Authorization: Bearer <token>`.');
    fields.sub = principal.sub;
    if (!route.roles.includes(principal.role)) throw forbidden(`Only a ${route.roles.join(' or ')} can do that.`);

    const params = readParams(c, routeParams);
    if (route.selfParam && principal.role === 'singer' && params[route.selfParam] !== principal.sub) {
      throw forbidden('A singer can only act for themselves.');
    }
    const query = route.query === undefined && !c.req.url.includes('?') ? {} : parseInput(route.query ?? NO_QUERY, readQuery(c), 'The query');
    const isWrite = route.method !== 'GET';
    const body = route.upload ? await readUpload(c, route.upload) : isWrite ? await readJsonBody(c) : { raw: '', value: undefined };
    const bodySchema = route.body === undefined ? NoBody : 'safeParse' in route.body ? route.body : route.body[principal.role];
    // A read has no body to check (NoBody takes the absent one as it is).
    const bodyValue = route.upload || (!isWrite && route.body === undefined) ? body.value : parseInput(bodySchema, body.value, 'The request body');

    const key = isWrite ? c.req.header('idempotency-key') : undefined;
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new ApiError(400, 'invalid-request', 'Idempotency-Key must be 1–255 visible ASCII characters.');
    }
    const request = {
      principal,
      params,
      body: bodyValue,
      query,
      commandId: key !== undefined ? `idem-${sha256(`${principal.sub}\n${key}`)}` : deps.newId(),
      now: deps.now(),
      annotate: (more: Record<string, unknown>) => Object.assign(fields, more),
    };
    // A client error is an answer worth replaying; only our own faults (thrown) leave the key free to retry.
    const execute = async (): Promise<StoredResponse> => {
      try {
        return await route.handle(request, deps);
      } catch (err) {
        if (err instanceof ApiError && err.status < 500) return { status: err.status, body: errorBody(err.code, err.message) };
        throw err;
      }
    };
    if (key !== undefined) {
      const fingerprint = sha256(`${c.req.method} ${c.req.path}\n${body.raw}`);
      ({ response, replayed } = await deps.idempotency.run({ scope: principal.sub, key, fingerprint }, execute));
    } else {
      response = await execute();
    }
  } catch (err) {
    // Contention and an unreachable store are thrown past the idempotency record, so a retry runs again.
    const known = err instanceof ApiError ? err : storeError(err);
    if (!known) throw err;
    response = { status: known.status, body: errorBody(known.code, known.message) };
    headers = known.headers;
  }
  if (logging) deps.logger.info('request', { ...fields, status: response.status, replayed, ms: Date.now() - started });
  const answerHeaders = replayed ? { ...headers, [IDEMPOTENT_REPLAYED_HEADER]: 'true' } : headers;
  if (response.body instanceof JsonText) {
    return c.body(response.body.text, response.status as ContentfulStatusCode, { ...answerHeaders, 'content-type': 'application/json' });
  }
  return c.json(response.body as object, response.status as ContentfulStatusCode, answerHeaders);
};
