import { randomBytes } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { parseInput } from '../api/contract/issues';
import { GuestSignedIn, GuestSignInBody, KjSignedIn, KjSignInBody } from '../api/contract/venueSchemas';
import { clientAddress } from '../api/http/clientAddress';
import { ApiError, errorBody } from '../api/http/errors';
import { principalFromClaims } from '../api/http/principal';
import { createRateLimiter, type RateLimiter } from '../api/http/rateLimit';
import { readDeclaredJsonBody } from '../api/http/request';
import type { Endpoint } from '../api/http/route';
import { DataFolderError } from './dataFolder';
import type { DevTokens } from './devTokens';
import type { KjPassphrase } from './kjPassphrase';

/** The one KJ identity of a data folder: whoever holds the passphrase runs the same rotations, from any device. */
export const LOCAL_KJ_ID = 'kj';
/** API.md: more than 5 wrong passphrases a minute from one address → 429. */
export const KJ_WRONG_TRIES_PER_MINUTE = 5;
/** Plenty for a phone signing in again, far too few to mint identities in bulk. */
export const GUEST_SIGN_INS_PER_MINUTE = 20;

const TOO_MANY = { status: 429, code: 'too-many-requests' } as const;
/** JSON only: a page of another site cannot post to these without a CORS preflight (which it does not pass). */
const NOT_JSON = { status: 415, code: 'unsupported-media-type' } as const;

/** For the OpenAPI document of `npm start`. */
export const AUTH_ENDPOINTS: readonly Endpoint[] = [
  {
    method: 'POST',
    path: '/auth/guest',
    summary: 'Sign in as a singer: a new server-made singer id, or the same one again for the token sent along',
    body: GuestSignInBody,
    success: { status: 200, schema: GuestSignedIn },
    errors: [NOT_JSON, TOO_MANY],
    localOnly: true,
  },
  {
    method: 'POST',
    path: '/auth/kj',
    summary: 'Sign in as the KJ with the passphrase `npm start` prints',
    body: KjSignInBody,
    success: { status: 200, schema: KjSignedIn },
    errors: [{ status: 401, code: 'unauthorized' }, NOT_JSON, TOO_MANY, { status: 503, code: 'unavailable' }],
    localOnly: true,
  },
];

export interface AuthRouteOptions {
  readonly tokens: DevTokens;
  readonly passphrase: KjPassphrase;
  /** Injected by tests that need their own counters; one per engine otherwise. */
  readonly kjLimiter?: RateLimiter;
  readonly guestLimiter?: RateLimiter;
}

/**
 * The passphrase file edited or removed while the engine runs: 503 saying what to do on the laptop, not a 500.
 * (Not the last good one from memory: removing the file may be how the KJ shuts out whoever saw it.)
 */
export const passphraseUnavailable = (err: unknown): ApiError | null =>
  err instanceof DataFolderError
    ? new ApiError(503, 'unavailable', 'KJ sign-in is off: the passphrase file on the laptop is missing or broken. Run `npx rotation passphrase` there, then sign in with the new one.')
    : null;

const matchesPassphrase = (passphrase: KjPassphrase, given: string): boolean => {
  try {
    return passphrase.matches(given);
  } catch (err) {
    throw passphraseUnavailable(err) ?? err;
  }
};

const tooMany = (c: Context, retryAfterSeconds: number, message: string) =>
  c.json(errorBody('too-many-requests', message), 429, { 'Retry-After': String(retryAfterSeconds) });

/** A singer's token this device already holds (sent as a bearer token), if it is still valid. */
const heldSingerId = (c: Context, tokens: DevTokens): string | null => {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  const claims = match ? tokens.verify(match[1]!) : null;
  const principal = claims ? principalFromClaims(claims) : null;
  return principal?.role === 'singer' ? principal.sub : null;
};

/**
 * Sign-in made by the server (API.md "Signing in on one machine"): nobody chooses their own id. A guest gets a
 * random singer id; the KJ is whoever knows the passphrase.
 */
export const addAuthRoutes = (
  app: Hono,
  {
    tokens,
    passphrase,
    kjLimiter = createRateLimiter({ limit: KJ_WRONG_TRIES_PER_MINUTE, windowMs: 60_000 }),
    guestLimiter = createRateLimiter({ limit: GUEST_SIGN_INS_PER_MINUTE, windowMs: 60_000 }),
  }: AuthRouteOptions,
): void => {
  app.post('/auth/guest', async (c) => {
    const { name } = parseInput(GuestSignInBody, (await readDeclaredJsonBody(c)).value, 'The request body');
    const verdict = guestLimiter.hit(clientAddress(c));
    if (!verdict.allowed) return tooMany(c, verdict.retryAfterSeconds, 'Too many sign-ins from this device; wait a minute and try again.');
    // Signing in again (a new name, an expiring token) keeps the singer this device already is.
    const singerId = heldSingerId(c, tokens) ?? `singer-${randomBytes(9).toString('base64url')}`;
    return c.json({ token: tokens.issue({ sub: singerId, name, role: 'singer' }), singerId });
  });

  app.post('/auth/kj', async (c) => {
    const body = parseInput(KjSignInBody, (await readDeclaredJsonBody(c)).value, 'The request body');
    const address = clientAddress(c);
    // Checked before the passphrase: past the limit even the right one waits, so guessing gains nothing.
    const wait = kjLimiter.blocked(address);
    if (wait !== null) return tooMany(c, wait, `Too many wrong passphrases; try again in ${wait} seconds.`);
    if (!matchesPassphrase(passphrase, body.passphrase)) {
      kjLimiter.hit(address);
      throw new ApiError(401, 'unauthorized', 'That is not the KJ passphrase. `npm start` prints it when the engine starts.');
    }
    return c.json({ token: tokens.issue({ sub: LOCAL_KJ_ID, name: body.name, role: 'kj' }), kjId: LOCAL_KJ_ID });
  });
};
