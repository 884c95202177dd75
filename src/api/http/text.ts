/**
 * API.md "Errors": text fields refuse control characters (C0 and C1), bidirectional overrides and isolates, and
 * lone surrogates. They could hide or reorder what a KJ, a venue screen or an audit shows (a singer's name
 * faking a line of the audit timeline). Validators (the request schemas) use the pattern and the message;
 * printers of stored text use `escapeUnsafeText`, since data written before the rule may still hold them.
 */
/** The refused characters, as the inside of a Unicode-aware regular expression character class. */
export const UNSAFE_CHARACTERS = '\\p{Cc}\\p{Cs}\\u202A-\\u202E\\u2066-\\u2069';

/** One or more characters, none unsafe, not only whitespace (as a JSON Schema `pattern`, Unicode-aware). */
export const SAFE_TEXT_PATTERN = `^(?!\\s*$)[^${UNSAFE_CHARACTERS}]*$`;

const UNSAFE_CHARACTER = new RegExp(`[${UNSAFE_CHARACTERS}]`, 'u');
const UNSAFE_CHARACTERS_ALL = new RegExp(`[${UNSAFE_CHARACTERS}]`, 'gu');

export const isSafeText = (value: string): boolean => !UNSAFE_CHARACTER.test(value);

/** What `isSafeText` refuses, in words for the person who sent it. */
export const UNSAFE_TEXT_MESSAGE = 'must not contain control characters, bidirectional overrides or lone surrogates';

/** The text with every refused character shown as a visible `\u{…}` escape, for terminals and logs. */
export const escapeUnsafeText = (value: string): string =>
  value.replace(UNSAFE_CHARACTERS_ALL, (char) => `\\u{${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}}`);
