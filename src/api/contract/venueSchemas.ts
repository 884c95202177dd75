import * as z from 'zod';
import { describeValue, object, text } from './fields';
import { DISPLAY_NAME_MAX, VENUE_MAX } from './schemas';

/**
 * The shapes of API.md "Signing in on one machine" and "Joining by code": server-made identities and the
 * short codes phones join by. Kept beside schemas.ts (same rules: they validate, document and type the pages).
 */

export const GuestSignInBody = object({ name: text(DISPLAY_NAME_MAX) }).meta({
  id: 'GuestSignInBody',
  description: 'Send the token this device already holds as `Authorization: Bearer …` to stay the same singer.',
});
export const GuestSignedIn = z.object({ token: z.string(), singerId: z.string() }).meta({ id: 'GuestSignedIn' });
export type GuestSignedIn = z.infer<typeof GuestSignedIn>;

/** A passphrase is up to 200 characters of any text; wrong ones are counted, not described. */
const PASSPHRASE_MAX = 200;
const passphraseExpected = (issue: { readonly input?: unknown }) =>
  issue.input === undefined ? 'is required' : `must be text of 1–${PASSPHRASE_MAX} characters (got ${describeValue(issue.input)})`;
export const KjSignInBody = object({
  name: text(DISPLAY_NAME_MAX),
  passphrase: z.string({ error: passphraseExpected }).min(1, { error: passphraseExpected }).max(PASSPHRASE_MAX, { error: passphraseExpected }),
}).meta({ id: 'KjSignInBody' });
export const KjSignedIn = z.object({ token: z.string(), kjId: z.string() }).meta({ id: 'KjSignedIn' });
export type KjSignedIn = z.infer<typeof KjSignedIn>;

/** 5 characters, no look-alikes (no 0 O 1 I L): read off a screen across a room and typed on a phone. */
export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const JOIN_CODE_LENGTH = 5;
export const JOIN_CODE_PATTERN = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`);

export const JoinCodeAnswer = z.object({ rotationId: z.string(), venue: z.string().max(VENUE_MAX) }).meta({ id: 'JoinCodeAnswer' });
export type JoinCodeAnswer = z.infer<typeof JoinCodeAnswer>;
