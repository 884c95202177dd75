import type { Context, Hono } from 'hono';
import { JoinCodeAnswer } from '../contract/venueSchemas';
import type { ApiDeps } from '../deps';
import { clientAddress } from '../http/clientAddress';
import { errorBody } from '../http/errors';
import { createRateLimiter, type RateLimiter } from '../http/rateLimit';
import type { Endpoint } from '../http/route';
import { normalizeJoinCode } from '../joinCodes';
import { PageConfig, singerPageUrl } from '../pageConfig';

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

/** Wrong codes a minute from one address before 429: a person mistyping, never a sweep of the 28 million codes. */
export const JOIN_MISSES_PER_MINUTE = 20;
const TOO_MANY = { status: 429, code: 'too-many-requests' } as const;

export const JOIN_ENDPOINT: Endpoint = {
  method: 'GET',
  path: '/join/:code',
  summary: 'The open rotation a join code belongs to',
  success: { status: 200, schema: JoinCodeAnswer },
  errors: [{ status: 404, code: 'not-found' }, TOO_MANY],
};

export const JOIN_REDIRECT_ENDPOINT: Endpoint = {
  method: 'GET',
  path: '/j/:code',
  summary: 'Where the QR code sends a phone: the singer page of that rotation',
  description: 'An unknown or closed code goes to the singer page with the code, which says so and asks for another.',
  success: { status: 302, description: 'To the singer page (`Location`), no body' },
  errors: [TOO_MANY],
};

export const PUBLIC_VENUE_ENDPOINTS: readonly Endpoint[] = [CONFIG_ENDPOINT, JOIN_ENDPOINT, JOIN_REDIRECT_ENDPOINT];

/** The origin a request came to (the API's own URL in AWS, where the pages are elsewhere). */
const originOf = (url: string) => new URL(url).origin;

const tooMany = (c: Context, retryAfterSeconds: number) =>
  c.json(errorBody('too-many-requests', 'Too many wrong join codes; check the code on the venue screen and try again in a minute.'), 429, {
    'Retry-After': String(retryAfterSeconds),
  });

export const addPublicVenueRoutes = (
  app: Hono,
  deps: Pick<ApiDeps, 'pageConfig' | 'joinCodes' | 'queue' | 'now'>,
  { misses = createRateLimiter({ limit: JOIN_MISSES_PER_MINUTE, windowMs: 60_000 }) }: { misses?: RateLimiter } = {},
): void => {
  app.get(CONFIG_ENDPOINT.path, (c) => c.json(deps.pageConfig(originOf(c.req.url)), 200, { 'Cache-Control': 'no-cache' }));

  /** The open rotation of a code, or why not: a miss is counted against the caller's address. */
  const lookUp = async (c: Context): Promise<{ code: string; rotationId: string; venue: string } | { refused: Response } | { missing: string }> => {
    const address = clientAddress(c);
    const wait = misses.blocked(address);
    if (wait !== null) return { refused: tooMany(c, wait) };
    const typed = c.req.param('code') ?? '';
    const code = normalizeJoinCode(typed);
    const claim = code ? await deps.joinCodes.find(code) : null;
    // The claim alone is not enough: a closed rotation's code answers 404 even before another night reuses it.
    const view = claim ? await deps.queue.read(claim.rotationId, deps.now()) : null;
    if (!claim || view?.status !== 'open' || view.joinCode !== code) {
      misses.hit(address);
      return { missing: code ?? typed.slice(0, 16) };
    }
    return { code: code!, rotationId: claim.rotationId, venue: view.venue };
  };

  app.get(JOIN_ENDPOINT.path, async (c) => {
    const found = await lookUp(c);
    if ('refused' in found) return found.refused;
    if ('missing' in found) return c.json(errorBody('not-found', 'No open rotation has this join code. Check the code on the venue screen.'), 404);
    return c.json({ rotationId: found.rotationId, venue: found.venue });
  });

  app.get(JOIN_REDIRECT_ENDPOINT.path, async (c) => {
    const found = await lookUp(c);
    if ('refused' in found) return found.refused;
    const config = deps.pageConfig(originOf(c.req.url));
    // In AWS the pages are on CloudFront, not on this API's host: publicUrl says where.
    const to = 'missing' in found ? `${config.publicUrl}/singer.html?${new URLSearchParams({ code: found.missing })}` : singerPageUrl(config, found.rotationId);
    c.header('Cache-Control', 'no-store');
    return c.redirect(to, 302);
  });
};
