/**
 * The API Gateway routes, derived from the route table the API Lambda serves (API_ROUTES, which src/api/lambda.ts
 * mounts), so a route added to the API is deployed without touching infra.
 */
import { PUBLIC_ENDPOINTS } from '../src/api/http/publicRoutes';
import type { Method } from '../src/api/http/route';
import { API_ROUTES } from '../src/api/routes';
import { JOIN_ENDPOINT, JOIN_REDIRECT_ENDPOINT, PUBLIC_VENUE_ENDPOINTS } from '../src/api/routes/publicVenueRoutes';

export interface ApiGatewayRoute {
  readonly method: Method;
  /** API Gateway path syntax, e.g. /rotations/{rotationId}/queue */
  readonly path: string;
}

/** Hono's `:param` → API Gateway's `{param}`. */
export const toApiGatewayPath = (honoPath: string): string => honoPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** Every authenticated route, in the order the API declares them. */
export const AUTHENTICATED_ROUTES: readonly ApiGatewayRoute[] = API_ROUTES.map(({ method, path }) => ({
  method,
  path: toApiGatewayPath(path),
}));

/** Open to anyone (API.md): liveness, the OpenAPI document and its page, the pages' config, join codes. No token needed. */
export const PUBLIC_ROUTES: readonly ApiGatewayRoute[] = [...PUBLIC_ENDPOINTS, ...PUBLIC_VENUE_ENDPOINTS].map(({ method, path }) => ({
  method,
  path: toApiGatewayPath(path),
}));

/**
 * Routes anyone can hammer with guesses (join codes, no token): each gets its own small budget, so a client
 * brute-forcing codes uses up that budget, never the stage's, and every venue's commands keep flowing.
 * (The engine's per-address miss limit lives in each Lambda instance's memory: a backstop, not a wall.)
 */
export const GUESSABLE_ROUTES: readonly ApiGatewayRoute[] = [JOIN_ENDPOINT, JOIN_REDIRECT_ENDPOINT].map(({ method, path }) => ({
  method,
  path: toApiGatewayPath(path),
}));
