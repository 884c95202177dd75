/**
 * Join codes (API.md "Joining by code"): 5 characters without look-alikes, unique among open rotations, one
 * DynamoDB item per code in use. A conditional PutItem claims a code; a code whose rotation has closed (or
 * whose claim never became a rotation) is taken over, so codes are reused rather than running out.
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { JOIN_CODES_TABLE } from '../eventstore/tables';
import { documentClient, type AnyDynamoClient, isConditionFailed } from '../eventstore/dynamo';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, JOIN_CODE_PATTERN } from './contract/venueSchemas';

export interface JoinCodeClaim {
  readonly code: string;
  readonly rotationId: string;
  readonly venue: string;
  /** ISO-8601 time of the claim: a claim with no rotation behind it is free only once it is old. */
  readonly claimedAt: string;
}

export interface JoinCodes {
  /** A fresh code for a rotation about to open; `stillInUse` says whether another claim's rotation is open. */
  claim(input: { rotationId: string; venue: string; now: string }, stillInUse: (claim: JoinCodeClaim) => Promise<boolean>): Promise<string>;
  find(code: string): Promise<JoinCodeClaim | null>;
  /** Frees the code of a closed rotation (only if it is still that rotation's). */
  release(code: string, rotationId: string): Promise<void>;
}

/** A claim this young with no rotation behind it may still be opening: never taken over. */
export const UNOPENED_CLAIM_GRACE_MS = 60_000;
const MAX_TRIES = 20;

/**
 * The code a rotation tries at each attempt, derived from its id: a retried create (same rotation id, even
 * with its idempotency record gone) finds its own claim and gets the same code back.
 */
export const joinCodeFor = (rotationId: string, attempt: number): string => {
  const bytes = createHash('sha256').update(`join-code:${rotationId}:${attempt}`).digest();
  return Array.from({ length: JOIN_CODE_LENGTH }, (_, i) => JOIN_CODE_ALPHABET[bytes.readUInt32BE(i * 4) % JOIN_CODE_ALPHABET.length]).join('');
};

/**
 * Cyrillic and Greek capitals that look exactly like a Latin letter of the screen: a singer with such a keyboard
 * types what they see (after upper-casing, so lower-case look-alikes land here too).
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  // Cyrillic А В Е К М Н О Р С Т У Х
  '\u0410': 'A', '\u0412': 'B', '\u0415': 'E', '\u041A': 'K', '\u041C': 'M', '\u041D': 'H',
  '\u041E': 'O', '\u0420': 'P', '\u0421': 'C', '\u0422': 'T', '\u0423': 'Y', '\u0425': 'X',
  // Greek Α Β Ε Ζ Η Κ Μ Ν Ο Ρ Τ Υ Χ
  '\u0391': 'A', '\u0392': 'B', '\u0395': 'E', '\u0396': 'Z', '\u0397': 'H', '\u039A': 'K', '\u039C': 'M',
  '\u039D': 'N', '\u039F': 'O', '\u03A1': 'P', '\u03A4': 'T', '\u03A5': 'Y', '\u03A7': 'X',
};
const LOOK_ALIKE_PATTERN = new RegExp(`[${Object.keys(LOOK_ALIKES).join('')}]`, 'g');

/**
 * What a person typed → the code, or null: case, spaces and dashes (any kind) do not count; full-width and
 * other compatibility forms count as their plain letter (NFKC), Cyrillic and Greek look-alikes as the Latin one.
 */
export const normalizeJoinCode = (typed: string): string | null => {
  const code = typed
    .normalize('NFKC')
    .replace(/[\s\p{Pd}\u2212]+/gu, '')
    .toUpperCase()
    .replace(LOOK_ALIKE_PATTERN, (letter) => LOOK_ALIKES[letter]!);
  return JOIN_CODE_PATTERN.test(code) ? code : null;
};


export interface DynamoJoinCodesOptions {
  readonly client: AnyDynamoClient;
  readonly tableName?: string;
  /** Where codes come from (tests pass a fixed one to make codes collide). */
  readonly newCode?: (rotationId: string, attempt: number) => string;
}

export const createDynamoJoinCodes = ({ client, tableName = JOIN_CODES_TABLE.tableName, newCode = joinCodeFor }: DynamoJoinCodesOptions): JoinCodes => {
  const doc = documentClient(client);
  const find = async (code: string): Promise<JoinCodeClaim | null> => {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: { code }, ConsistentRead: true }));
    return (Item as JoinCodeClaim | undefined) ?? null;
  };
  return {
    async claim({ rotationId, venue, now }, stillInUse) {
      for (let tries = 0; tries < MAX_TRIES; tries++) {
        const code = newCode(rotationId, tries);
        const item: JoinCodeClaim = { code, rotationId, venue, claimedAt: now };
        try {
          await doc.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(code)' }));
          return code;
        } catch (err) {
          if (!isConditionFailed(err)) throw err;
        }
        // Taken: take it over only if its rotation is over, and only from that very claim (no two take-overs).
        const held = await find(code);
        if (held?.rotationId === rotationId) return code; // this rotation's own claim, made by an earlier try of this create
        if (!held || (await stillInUse(held))) continue;
        try {
          await doc.send(
            new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'rotationId = :held', ExpressionAttributeValues: { ':held': held.rotationId } }),
          );
          return code;
        } catch (err) {
          if (!isConditionFailed(err)) throw err;
        }
      }
      throw new Error(`No free join code after ${MAX_TRIES} tries: too many rotations open at once.`);
    },
    find: (code) => find(code),
    async release(code, rotationId) {
      try {
        await doc.send(
          new DeleteCommand({ TableName: tableName, Key: { code }, ConditionExpression: 'rotationId = :mine', ExpressionAttributeValues: { ':mine': rotationId } }),
        );
      } catch (err) {
        if (!isConditionFailed(err)) throw err; // already taken over by a newer rotation: nothing to free
      }
    },
  };
};

/**
 * Whether a claim still holds its code: its rotation is open, or it is too young to have opened yet.
 * `readStatus` reads the rotation's queue view status (null: no such rotation).
 */
export const claimStillInUse =
  (readStatus: (rotationId: string) => Promise<'open' | 'closed' | null>, now: () => string) =>
  async (claim: JoinCodeClaim): Promise<boolean> => {
    const status = await readStatus(claim.rotationId);
    if (status === 'open') return true;
    if (status === 'closed') return false;
    return Date.parse(now()) - Date.parse(claim.claimedAt) < UNOPENED_CLAIM_GRACE_MS;
  };
