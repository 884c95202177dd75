import { callApi } from './api';
import { randomId } from './ids';
import { storage } from './storage';

export type Role = 'kj' | 'singer';

export interface Session {
  readonly token: string;
  readonly sub: string;
  readonly name: string;
  readonly role: Role;
  /** Epoch ms the token stops working. */
  readonly expiresAt: number;
}

const sessionKey = (role: Role) => `karaoke.session.${role}`;
const deviceKey = (role: Role) => `karaoke.device.${role}`;
const EXPIRY_MARGIN_MS = 60_000;

/**
 * Who this device is, made once and kept: a singer who signs in again (or fixes a typo in their name) stays
 * the same singer in the rotation. Random, not derived from the name, so two Alexes never collide.
 */
export const deviceSubject = (role: Role): string => {
  const known = storage.get(deviceKey(role));
  if (known) return known;
  const sub = `${role}-${randomId(8)}`;
  storage.set(deviceKey(role), sub);
  return sub;
};

export const currentSession = (role: Role): Session | null => {
  const raw = storage.get(sessionKey(role));
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Session;
    return session.role === role && session.expiresAt - EXPIRY_MARGIN_MS > Date.now() ? session : null;
  } catch {
    return null;
  }
};

/** Reads `exp` from the token only to know when to sign in again; the server is what checks it. */
const expiryOf = (token: string): number => {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : Date.now() + 60 * 60_000;
  } catch {
    return Date.now() + 60 * 60_000;
  }
};

/**
 * Local sign-in (`POST /dev/token`, one machine only). In AWS this is the one place to swap for Cognito's
 * hosted sign-in; everything else only needs `Session.token`.
 */
export const signIn = async (role: Role, name: string): Promise<Session> => {
  const sub = deviceSubject(role);
  const { token } = await callApi<{ token: string }>('POST', '/dev/token', { body: { sub, name, role } });
  const session: Session = { token, sub, name, role, expiresAt: expiryOf(token) };
  storage.set(sessionKey(role), JSON.stringify(session));
  return session;
};

export const signOut = (role: Role): void => storage.remove(sessionKey(role));
