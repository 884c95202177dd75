/**
 * The one rule for text that people type (names, titles, venues): API.md "Errors" refuses C0 and C1 control
 * characters, bidirectional overrides and isolates, and lone surrogates, because they can rewrite what a
 * terminal or a page shows next to them (a singer's name faking a line of the audit timeline). Validators
 * (hand-written or schemas) call `unsafeTextMessage`; printers of stored text call `escapeUnsafeText`, since
 * data written before the rule may still hold such characters.
 */

/** C0 controls and DEL, C1 controls, bidi embeddings/overrides (U+202A–E) and isolates (U+2066–9), lone surrogates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

const codePoint = (char: string) => `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** True when the text holds none of the refused characters. */
export const isSafeText = (value: string): boolean => !UNSAFE.test(value);

/** Null for safe text; otherwise what a person should be told about `field`. */
export const unsafeTextMessage = (value: string, field: string): string | null => {
  const found = UNSAFE.exec(value);
  if (!found) return null;
  return (
    `\`${field}\` must not contain control characters, bidirectional overrides or lone surrogates ` +
    `(found ${codePoint(found[0])} at position ${found.index + 1}).`
  );
};

/** The text with every refused character shown as a visible `\u{…}` escape, for terminals and logs. */
export const escapeUnsafeText = (value: string): string =>
  value.replace(UNSAFE_ALL, (char) => `\\u{${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}}`);
