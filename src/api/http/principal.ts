import type { Context } from 'hono';
import { ID_PATTERN } from '../contract/fields';

export type PrincipalRole = 'kj' | 'singer';

/** Who is calling: the token's subject, display name and role. */
export interface Principal {
  readonly sub: string;
  readonly name: string;
  readonly role: PrincipalRole;
}

export type Claims = Readonly<Record<string, unknown>>;

/** Finds the verified claims of a request, or null when it carries none (→ 401). */
export type ClaimsSource = (c: Context) => Claims | null | Promise<Claims | null>;

/**
 * `cognito:groups` arrives as a list in a decoded JWT, but API Gateway's HTTP API authorizer flattens it to
 * a string like "[kj singer]"; both forms mean the same.
 */
const groupsOf = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  if (typeof value === 'string') return value.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
  return [];
};

/** One reading of claims for AWS and local tokens alike: the only place roles come from. */
export const principalFromClaims = (claims: Claims): Principal | null => {
  const sub = claims.sub;
  if (typeof sub !== 'string' || !ID_PATTERN.test(sub)) return null;
  const groups = groupsOf(claims['cognito:groups']);
  const role: PrincipalRole | null = groups.includes('kj') ? 'kj' : groups.includes('singer') ? 'singer' : null;
  if (!role) return null;
  const name = [claims.name, claims['cognito:username'], sub].find((n): n is string => typeof n === 'string' && n.length > 0)!;
  return { sub, name, role };
};

/** In AWS the HTTP API's JWT authorizer has already verified the Cognito token; its claims ride on the event. */
export const apiGatewayClaims: ClaimsSource = (c) => {
  const env = c.env as { event?: { requestContext?: { authorizer?: { jwt?: { claims?: Claims } } } } } | undefined;
  return env?.event?.requestContext?.authorizer?.jwt?.claims ?? null;
};

/** On one machine: `Authorization: Bearer <token>` checked by the local token verifier. */
export const bearerTokenClaims =
  (verify: (token: string) => Claims | null): ClaimsSource =>
  (c) => {
    const header = c.req.header('authorization');
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    return match ? verify(match[1]!) : null;
  };
