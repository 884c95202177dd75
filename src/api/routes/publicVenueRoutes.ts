import type { Hono } from 'hono';
import type { ApiDeps } from '../deps';
import { PageConfig } from '../pageConfig';
import type { Endpoint } from '../http/route';

/**
 * The routes a phone reaches before anyone signs in (API.md "Signing in on one machine", "Joining by code"),
 * the same in AWS and on one machine; infra/apiRoutes.ts deploys them without the JWT authorizer.
 */
export const CONFIG_ENDPOINT: Endpoint = {
  method: 'GET',
  path: '/config',
  summary: 'How the pages sign in and follow a rotation live, here',
  success: { status: 200, schema: PageConfig },
};

export const PUBLIC_VENUE_ENDPOINTS: readonly Endpoint[] = [CONFIG_ENDPOINT];

/** The origin a request came to (the API's own URL in AWS, where the pages are elsewhere). */
const originOf = (url: string) => new URL(url).origin;

export const addPublicVenueRoutes = (app: Hono, deps: Pick<ApiDeps, 'pageConfig'>): void => {
  app.get(CONFIG_ENDPOINT.path, (c) => c.json(deps.pageConfig(originOf(c.req.url)), 200, { 'Cache-Control': 'no-cache' }));
};
