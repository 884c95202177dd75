import type * as z from 'zod';
import { invalidRequest, type ApiError } from '../http/errors';

const pathOf = (path: readonly PropertyKey[]) =>
  path.reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${String(key)}` : String(key)), '');

/** A message of fields.ts for a person: the field's name in front of a predicate; a whole sentence as it is. */
const sentence = (issue: z.core.$ZodIssue, whole: string): string => {
  if (issue.message.endsWith('.')) return issue.message;
  const at = pathOf(issue.path);
  return `${at ? `\`${at}\`` : whole} ${issue.message}.`;
};

/**
 * A value that fits none of a union's forms (a song typed in, or one from the book) is told what is wrong with
 * the form it came closest to: the one with the fewest issues.
 */
const closestBranch = (issue: z.core.$ZodIssue): z.core.$ZodIssue[] => {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const closest = issue.errors.reduce((a, b) => (b.length < a.length ? b : a));
  return closest.flatMap((inner) => closestBranch({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue));
};

/**
 * Refused input → one 400 `invalid-request` that names every wrong field (up to three), unknown fields first:
 * a misspelt field is usually why a required one is missing.
 */
export const invalidInput = (error: z.ZodError, whole: string): ApiError => {
  const firstPerField = new Map<string, z.core.$ZodIssue>();
  for (const issue of error.issues.flatMap(closestBranch)) {
    const at = pathOf(issue.path);
    if (!firstPerField.has(at)) firstPerField.set(at, issue);
  }
  const issues = [...firstPerField.values()].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  return invalidRequest(issues.slice(0, 3).map((issue) => sentence(issue, whole)).join(' '));
};

/** Parses input with a schema, or throws the 400 that says what is wrong. */
export const parseInput = <S extends z.ZodType>(schema: S, input: unknown, whole: string): z.output<S> => {
  const result = schema.safeParse(input, { reportInput: false });
  if (!result.success) throw invalidInput(result.error, whole);
  return result.data;
};
