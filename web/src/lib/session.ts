import { callApi } from './api';
import type { GuestSignedIn, KjSignedIn } from './contract';
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
const EXPIRY_MARGIN_MS = 60_000;

const storedSession = (role: Role): Session | null => {
  const raw = storage.get(sessionKey(role));
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Session;
    return session.role === role && typeof session.token === 'string' ? session : null;
  } catch {
    return null;
  }
};

export const currentSession = (role: Role): Session | null => {
  const session = storedSession(role);
  return session && session.expiresAt - EXPIRY_MARGIN_MS > Date.now() ? session : null;
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

const keep = (session: Session): Session => {
  storage.set(sessionKey(session.role), JSON.stringify(session));
  return session;
};

/**
 * A singer signs in with a name; the server makes their id (`POST /auth/guest`). The token this device already
 * holds goes along, so signing in again (a new name, a token about to expire) keeps the same singer.
 */
export const signInAsSinger = async (name: string): Promise<Session> => {
  const held = storedSession('singer');
  const { token, singerId } = await callApi<GuestSignedIn>('POST', '/auth/guest', { body: { name }, ...(held ? { token: held.token } : {}) });
  return keep({ token, sub: singerId, name, role: 'singer', expiresAt: expiryOf(token) });
};

/** The KJ signs in with the passphrase `npm start` printed (`POST /auth/kj`). */
export const signInAsKj = async (name: string, passphrase: string): Promise<Session> => {
  const { token, kjId } = await callApi<KjSignedIn>('POST', '/auth/kj', { body: { name, passphrase } });
  return keep({ token, sub: kjId, name, role: 'kj', expiresAt: expiryOf(token) });
};

export const signOut = (role: Role): void => storage.remove(sessionKey(role));
