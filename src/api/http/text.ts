/**
 * API.md "Errors": text fields refuse control characters (C0 and C1), bidirectional overrides and isolates, and
 * lone surrogates. They could hide or reorder what a KJ, a venue screen or an audit shows.
 */
/** The refused characters, as the inside of a Unicode-aware regular expression character class. */
export const UNSAFE_CHARACTERS = '\\p{Cc}\\p{Cs}\\u202A-\\u202E\\u2066-\\u2069';

/** One or more characters, none unsafe, not only whitespace (as a JSON Schema `pattern`, Unicode-aware). */
export const SAFE_TEXT_PATTERN = `^(?!\\s*$)[^${UNSAFE_CHARACTERS}]*$`;

const UNSAFE_CHARACTER = new RegExp(`[${UNSAFE_CHARACTERS}]`, 'u');

export const isSafeText = (value: string): boolean => !UNSAFE_CHARACTER.test(value);

/** What `isSafeText` refuses, in words for the person who sent it. */
export const UNSAFE_TEXT_MESSAGE = 'must not contain control characters, bidirectional overrides or lone surrogates';
