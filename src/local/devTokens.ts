import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { principalFromClaims, type Claims } from '../api/http/principal';
import { createBoundedMap } from '../boundedMap';
import { DataFolderError, readPrivateFile, writePrivateFile } from './dataFolder';
import { normalizePassphrase } from './kjPassphrase';

/**
 * Local sign-in for one machine: HS256 JWTs signed with a secret kept in DATA_DIR, so tokens survive a restart.
 * The claims mirror a Cognito ID token (`sub`, `name`, `cognito:groups`) so one authorization path serves both.
 */
export interface DevTokens {
  issue(input: { sub: string; name: string; role: 'kj' | 'singer' }): string;
  verify(token: string): Claims | null;
}

const TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;
/** Verified tokens kept: about one per phone of a busy night, several nights over. */
const MAX_VERIFIED_TOKENS = 10_000;
/** The claim of a KJ token naming the passphrase it was issued under. */
export const KJ_GENERATION_CLAIM = 'kjg';
/** Who made the token: a token from anywhere else (another tool sharing a secret by accident) is refused. */
export const DEV_TOKEN_ISSUER = 'rotation-local';
const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');
/**
 * Node's decoder takes padding, the standard alphabet and stray bits; one token must have one spelling, so a
 * part is read only if it is the exact base64url (unpadded) encoding of the bytes it decodes to.
 */
export const decodeCanonical = (part: string): Buffer | null => {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return null;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : null;
};

export interface DevTokenOptions {
  readonly now?: () => number;
  /**
   * The KJ passphrase: a KJ token records which one it was issued under (a keyed digest, not the passphrase) and
   * stops working once it changes, so `rotation passphrase` throws out whoever saw the old one. Singer tokens do
   * not depend on it. Without it (a second test server) KJ tokens are not tied to a passphrase.
   */
  readonly kjPassphrase?: { current(): string };
}

export const createDevTokens = (secret: Buffer, { now = Date.now, kjPassphrase }: DevTokenOptions = {}): DevTokens => {
  const sign = (input: string) => createHmac('sha256', secret).update(input).digest();
  let generation: { current: string; value: string } | null = null;
  /** Throws the passphrase's DataFolderError when its file is broken. */
  const kjGeneration = (): string => {
    const current = kjPassphrase!.current();
    if (generation?.current !== current) {
      const passphrase = normalizePassphrase(current);
      generation = { current, value: createHmac('sha256', secret).update(`kj-passphrase:${passphrase}`).digest().subarray(0, 12).toString('base64url') };
    }
    return generation.value;
  };
  const isKjToken = (claims: Claims) => Boolean(kjPassphrase) && principalFromClaims(claims)?.role === 'kj';
  /** A KJ token of an older passphrase is out; a broken passphrase file (kjGeneration throws) fails closed. */
  const currentKjGeneration = (claims: Claims): boolean => {
    try {
      return claims[KJ_GENERATION_CLAIM] === kjGeneration();
    } catch {
      return false;
    }
  };
  const verifySigned = (token: string): Claims | null => {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const [header, payload, signature] = parts as [string, string, string];
    const [headerBytes, payloadBytes, given] = [decodeCanonical(header), decodeCanonical(payload), decodeCanonical(signature)];
    if (!headerBytes || !payloadBytes || !given) return null;
    const expected = sign(`${header}.${payload}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const alg = JSON.parse(headerBytes.toString('utf8')).alg;
      const claims = JSON.parse(payloadBytes.toString('utf8')) as Claims & { iss?: unknown };
      if (alg !== 'HS256' || claims.iss !== DEV_TOKEN_ISSUER || typeof claims.exp !== 'number' || claims.exp * 1000 < now()) return null;
      if (isKjToken(claims) && !currentKjGeneration(claims)) return null;
      return claims;
    } catch {
      return null;
    }
  };
  /** Tokens whose signature checked out, oldest first out; claims are never changed, so they are shared. */
  const verified = createBoundedMap<string, { claims: Claims; expiresAtMs: number; kj: boolean }>(MAX_VERIFIED_TOKENS);
  return {
    issue({ sub, name, role }) {
      const issuedAt = Math.floor(now() / 1000);
      const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
      const payload = base64url(
        JSON.stringify({
          sub,
          name,
          'cognito:groups': [role],
          ...(role === 'kj' && kjPassphrase ? { [KJ_GENERATION_CLAIM]: kjGeneration() } : {}),
          iss: DEV_TOKEN_ISSUER,
          iat: issuedAt,
          exp: issuedAt + TOKEN_LIFETIME_SECONDS,
        }),
      );
      return `${header}.${payload}.${base64url(sign(`${header}.${payload}`))}`;
    },
    verify(token) {
      // A phone sends the same token with every request: its signature is checked once, until it expires. What
      // can change meanwhile (the clock, the passphrase a KJ token names) is checked on every use.
      const known = verified.get(token);
      if (known) {
        if (known.expiresAtMs >= now() && (!known.kj || currentKjGeneration(known.claims))) return known.claims;
        verified.delete(token);
        return null;
      }
      const claims = verifySigned(token);
      if (claims) {
        Object.freeze(claims);
        verified.set(token, { claims, expiresAtMs: (claims.exp as number) * 1000, kj: isKjToken(claims) });
      }
      return claims;
    },
  };
};

export const SECRET_FILE = 'dev-token-secret';
const SECRET_BYTES = 32;

/**
 * The signing secret of a data folder, made on first use: exactly 32 bytes, kept as 64 hex digits. Anything
 * else (empty, short, not hex) would make a weak or empty HMAC key, with which anyone could forge a KJ token,
 * so the engine refuses to start and says how to fix it.
 */
export const devTokenSecret = (dataDir: string | undefined): Buffer => {
  if (!dataDir) return randomBytes(SECRET_BYTES);
  const file = join(dataDir, SECRET_FILE);
  let stored = readPrivateFile(dataDir, SECRET_FILE, 'The token secret');
  if (stored === null) {
    writePrivateFile(dataDir, SECRET_FILE, `${randomBytes(SECRET_BYTES).toString('hex')}\n`);
    stored = readPrivateFile(dataDir, SECRET_FILE, 'The token secret')!;
  }
  // Spaces and newlines around the digits are an editor's, not part of the key.
  const text = stored.trim();
  const refuse = (what: string) =>
    new DataFolderError(
      `The token secret ${file} ${what}: it must be exactly ${SECRET_BYTES} bytes, written as ${SECRET_BYTES * 2} hex digits, made at random. ` +
        'Refusing to start, since a weak secret lets anyone sign in as the KJ. Delete the file to make a new one ' +
        '(everyone signs in again; nothing else is lost).',
    );
  if (!new RegExp(`^[0-9a-fA-F]{${SECRET_BYTES * 2}}$`).test(text)) {
    const notHex = text.match(/[^0-9a-fA-F]/)?.[0];
    throw refuse(
      text.length === 0
        ? 'is empty'
        : notHex === undefined
          ? `holds ${Math.floor(text.length / 2)} bytes`
          : `is not hex (it has ${JSON.stringify(notHex)} at character ${text.indexOf(notHex) + 1})`,
    );
  }
  const secret = Buffer.from(text, 'hex');
  // All zeros (or any one byte repeated) is a key everyone can guess: a file "repaired" by hand, not a secret.
  if (secret.every((byte) => byte === secret[0])) throw refuse(`is one byte (0x${secret[0]!.toString(16).padStart(2, '0')}) repeated`);
  return secret;
};
