import { createHmac, randomBytes } from 'node:crypto';
import { createDevTokens } from '../../src/local/devTokens';
import { createLiveTickets, LIVE_TICKET_LIFETIME_SECONDS } from '../../src/local/liveTickets';

/** A live ticket opens one rotation's feed for one night, and is never mistaken for a sign-in token. */
describe('live tickets', () => {
  const secret = randomBytes(32);

  it('is valid for its rotation until it expires', () => {
    let now = Date.parse('2026-11-21T20:00:00Z');
    const tickets = createLiveTickets(secret, () => now);
    const { ticket, expiresAt } = tickets.issue('night-1');
    expect(expiresAt).toBe(new Date(now + LIVE_TICKET_LIFETIME_SECONDS * 1000).toISOString());
    expect(tickets.verify(ticket, 'night-1')).toBe('valid');
    expect(tickets.verify(ticket, 'night-2')).toBe('other-rotation');
    now += LIVE_TICKET_LIFETIME_SECONDS * 1000 + 1000;
    expect(tickets.verify(ticket, 'night-1')).toBe('invalid');
  });

  it('refuses edited, truncated or foreign tickets', () => {
    const tickets = createLiveTickets(secret);
    const { ticket } = tickets.issue('night-1');
    const [payload, signature] = ticket.slice('lt1_'.length).split('.') as [string, string];
    const otherRotation = Buffer.from(JSON.stringify({ rid: 'night-2', exp: 9_999_999_999 })).toString('base64url');
    expect(tickets.verify(`lt1_${otherRotation}.${signature}`, 'night-2')).toBe('invalid');
    expect(tickets.verify(`lt1_${payload}`, 'night-1')).toBe('invalid');
    expect(tickets.verify(`${ticket}.extra`, 'night-1')).toBe('invalid');
    expect(tickets.verify(ticket.replace('lt1_', 'lt2_'), 'night-1')).toBe('invalid');
    expect(createLiveTickets(randomBytes(32)).verify(ticket, 'night-1')).toBe('invalid');
  });

  it('is signed with its own key, not the sign-in secret (so nothing signed for sign-in can pass as a ticket)', () => {
    const tickets = createLiveTickets(secret);
    const payload = Buffer.from(JSON.stringify({ rid: 'night-1', exp: 9_999_999_999 })).toString('base64url');
    const signedWithSignInSecret = createHmac('sha256', secret).update(payload).digest('base64url');
    expect(tickets.verify(`lt1_${payload}.${signedWithSignInSecret}`, 'night-1')).toBe('invalid');
    // …and a ticket is no sign-in token.
    const { ticket } = tickets.issue('night-1');
    expect(createDevTokens(secret).verify(ticket)).toBeNull();
  });
});
