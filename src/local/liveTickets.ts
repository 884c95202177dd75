import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeCanonical } from './devTokens';

/**
 * Live tickets: what an EventSource carries instead of a bearer token, because it cannot send headers and a
 * URL ends up in logs and on a public venue screen. A ticket grants one thing only — reading one rotation's
 * live queue view, which any signed-in caller may read anyway — and expires. It is signed with a key derived
 * from (never equal to) the sign-in secret, so a ticket is never a valid API token and a token never a ticket.
 */
export interface LiveTickets {
  issue(rotationId: string): { ticket: string; expiresAt: string };
  verify(ticket: string, rotationId: string): 'valid' | 'invalid' | 'other-rotation';
}

/** A night, like the sign-in tokens: a venue screen opened at the start stays live until closing time. */
export const LIVE_TICKET_LIFETIME_SECONDS = 12 * 60 * 60;
const PREFIX = 'lt1_';
const MAX_TICKET_LENGTH = 512;

export const createLiveTickets = (signInSecret: Buffer, now: () => number = Date.now): LiveTickets => {
  const key = createHmac('sha256', signInSecret).update('live-ticket/v1').digest();
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest();
  return {
    issue(rotationId) {
      const exp = Math.floor(now() / 1000) + LIVE_TICKET_LIFETIME_SECONDS;
      // A nonce makes each ticket its own: the per-ticket stream limit counts one page's ticket, not everyone's.
      const payload = Buffer.from(JSON.stringify({ rid: rotationId, exp, n: randomBytes(9).toString('base64url') })).toString('base64url');
      return { ticket: `${PREFIX}${payload}.${sign(payload).toString('base64url')}`, expiresAt: new Date(exp * 1000).toISOString() };
    },
    verify(ticket, rotationId) {
      if (ticket.length > MAX_TICKET_LENGTH || !ticket.startsWith(PREFIX)) return 'invalid';
      const [payload, signature, ...rest] = ticket.slice(PREFIX.length).split('.');
      if (!payload || !signature || rest.length > 0) return 'invalid';
      const [payloadBytes, given] = [decodeCanonical(payload), decodeCanonical(signature)];
      if (!payloadBytes || !given) return 'invalid';
      const expected = sign(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
      try {
        const { rid, exp } = JSON.parse(payloadBytes.toString('utf8')) as { rid?: unknown; exp?: unknown };
        if (typeof exp !== 'number' || exp * 1000 < now()) return 'invalid';
        return rid === rotationId ? 'valid' : 'other-rotation';
      } catch {
        return 'invalid';
      }
    },
  };
};
