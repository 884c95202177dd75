import * as z from 'zod';
import { isSafeText, SAFE_TEXT_PATTERN, UNSAFE_CHARACTERS, UNSAFE_TEXT_MESSAGE } from '../http/text';

/**
 * The building blocks of the API's schemas. Each says in words what its value must be, so a refused request
 * tells a person which field is wrong and how (src/api/contract/issues.ts puts the field's name in front).
 * A message is a predicate ("must be …"); one that ends with a full stop is a whole sentence of its own.
 * Objects are strict: an unknown field is an error, so a typo never passes silently.
 */

/** What a value is, in words: "a number", "text of 300 characters", "a list". */
export const describeValue = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.trim() === '' ? 'blank text' : `text of ${value.length} characters`;
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'object') return 'an object';
  return typeof value;
};

const must =
  (expected: string) =>
  (issue: { readonly input?: unknown }): string =>
    issue.input === undefined ? 'is required' : `must be ${expected} (got ${describeValue(issue.input)})`;

const codePoints = (value: string) => {
  let n = 0;
  for (const _ of value) n++;
  return n;
};

/**
 * Text of 1 to `max` characters (code points, as JSON Schema counts them), trimmed, not blank, and safe
 * (API.md "Errors": no control characters, bidirectional overrides or lone surrogates).
 */
export const text = (max: number) => {
  const expected = must(`text of 1–${max} characters`);
  return z
    .string({ error: expected })
    .refine((value) => codePoints(value) <= max, { error: expected, abort: true })
    // Checked before trimming: a control character at either end is refused, not quietly cut away.
    .refine(isSafeText, { error: UNSAFE_TEXT_MESSAGE, abort: true })
    .trim()
    .min(1, { error: expected, abort: true })
    .meta({ maxLength: max, pattern: SAFE_TEXT_PATTERN });
};

/** Ids in paths, bodies and tokens: short, URL-safe, so they can never smuggle a separator or a huge key. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,127}$/;
export const id = () => {
  const expected = must('an id of 1–128 letters, digits, or _ . @ : - (starting with a letter or digit)');
  return z.string({ error: expected }).regex(ID_PATTERN, { error: expected });
};

/** `Idempotency-Key`: 1–255 visible ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export const integer = (min: number, max: number) =>
  z.int({ error: must(`a whole number from ${min} to ${max}`) }).min(min).max(max);

export const boolean = () => z.boolean({ error: must('true or false') });

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: must(`one of ${values.map((v) => `"${v}"`).join(', ')}`) });

/** A list of distinct items, at most `max` long. */
export const listOf = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item, { error: must(`a list of at most ${max}`) })
    .max(max)
    .refine((items) => new Set(items).size === items.length, { error: 'lists an entry twice' })
    .meta({ uniqueItems: true });

const fieldList = (keys: readonly string[]) => keys.map((k) => `\`${k}\``).join(', ');

/** A JSON object with exactly these fields (the optional ones marked `.optional()`); others are refused. */
export const object = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `has unknown field${issue.keys.length > 1 ? 's' : ''} ${fieldList(issue.keys)}; allowed: ${Object.keys(shape).join(', ') || 'none'}`
        : must('a JSON object')(issue),
  });

/** Query parameters: each is text, given once; an unknown one is an error, not ignored. */
export const query = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? Object.keys(shape).length === 0
          ? `This route takes no query parameters (got ${fieldList(issue.keys)}).`
          : `Unknown query parameter ${fieldList(issue.keys)}; this route takes ${fieldList(Object.keys(shape)).replace(/, (?=[^,]*$)/, ' or ')}.`
        : undefined,
  });

/** E.164: a plus, then up to 15 digits, the first not zero. */
export const phone = () => {
  const expected = must('a phone number in E.164 form, like +15551234567');
  return z.string({ error: expected }).regex(/^\+[1-9]\d{6,14}$/, { error: expected });
};

const EMAIL_PART = `[^\\s@${UNSAFE_CHARACTERS}]+`;
export const EMAIL_PATTERN = new RegExp(`^${EMAIL_PART}@${EMAIL_PART}\\.${EMAIL_PART}$`, 'u');
export const email = () => {
  const expected = must('an email address, like amy@example.com');
  return z.string({ error: expected }).max(254, { error: expected }).regex(EMAIL_PATTERN, { error: expected });
};
