import {
  JOIN_PLACEMENTS,
  ROTATION_PLACEMENTS,
  SETTING_BOUNDS,
  SONG_KEY_RANGE,
  SONG_TEXT_MAX,
  type JoinPlacement,
  type RotationSettings,
  type Song,
} from '../../aggregates/rotation';
import { invalidRequest } from './errors';
import { unsafeTextMessage } from './text';

/**
 * Small strict validators: each names the field and says what it must be, so a person can fix the request.
 * Unknown fields are refused, so a typo never passes silently.
 */
type Check<T> = (value: unknown, field: string) => T;

const describe = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : typeof value;

export const text =
  (max: number, min = 1): Check<string> =>
  (value, field) => {
    if (typeof value !== 'string' || value.trim().length < min || value.length > max) {
      throw invalidRequest(`\`${field}\` must be text of ${min}–${max} characters (got ${describe(value)}${typeof value === 'string' ? ` of ${value.length}` : ''}).`);
    }
    const unsafe = unsafeTextMessage(value, field);
    if (unsafe) throw invalidRequest(unsafe);
    return value.trim();
  };

export const integer =
  (min: number, max: number): Check<number> =>
  (value, field) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      throw invalidRequest(`\`${field}\` must be a whole number from ${min} to ${max}.`);
    }
    return value;
  };

export const boolean: Check<boolean> = (value, field) => {
  if (typeof value !== 'boolean') throw invalidRequest(`\`${field}\` must be true or false.`);
  return value;
};

export const oneOf =
  <T extends string>(allowed: readonly T[]): Check<T> =>
  (value, field) => {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw invalidRequest(`\`${field}\` must be one of ${allowed.map((a) => `"${a}"`).join(', ')}.`);
    }
    return value as T;
  };

export const listOf =
  <T>(item: Check<T>, { max, unique = true }: { max: number; unique?: boolean }): Check<T[]> =>
  (value, field) => {
    if (!Array.isArray(value) || value.length > max) throw invalidRequest(`\`${field}\` must be a list of at most ${max}.`);
    const items = value.map((v, i) => item(v, `${field}[${i}]`));
    if (unique && new Set(items).size !== items.length) throw invalidRequest(`\`${field}\` lists an entry twice.`);
    return items;
  };

type Shape = Record<string, Check<unknown>>;
type Parsed<S extends Shape, Optional extends keyof S> = { [K in Exclude<keyof S, Optional>]: ReturnType<S[K]> } & {
  [K in Optional]?: ReturnType<S[K]>;
};

export const object =
  <S extends Shape, Optional extends keyof S = never>(shape: S, optional: readonly Optional[] = []): Check<Parsed<S, Optional>> =>
  (value, field) => {
    const where = field ? `\`${field}\`` : 'The request body';
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw invalidRequest(`${where} must be a JSON object (got ${describe(value)}).`);
    }
    const record = value as Record<string, unknown>;
    const unknown = Object.keys(record).filter((key) => !(key in shape));
    if (unknown.length > 0) {
      throw invalidRequest(`${where} has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `\`${k}\``).join(', ')}; allowed: ${Object.keys(shape).join(', ')}.`);
    }
    const result: Record<string, unknown> = {};
    for (const [key, check] of Object.entries(shape)) {
      const path = field ? `${field}.${key}` : key;
      if (record[key] === undefined) {
        if ((optional as readonly string[]).includes(key)) continue;
        throw invalidRequest(`\`${path}\` is required.`);
      }
      result[key] = check(record[key], path);
    }
    return result as Parsed<S, Optional>;
  };

/** Ids in paths and tokens: short, URL-safe, so they can never smuggle a separator or a huge key. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,127}$/;
export const id: Check<string> = (value, field) => {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw invalidRequest(`\`${field}\` must be an id of 1–128 letters, digits, or _ . @ : - (starting with a letter or digit).`);
  }
  return value;
};

export const song: Check<Song> = object(
  {
    title: text(SONG_TEXT_MAX),
    artist: text(SONG_TEXT_MAX),
    key: integer(SONG_KEY_RANGE.min, SONG_KEY_RANGE.max),
  },
  ['key'],
);

export const DISPLAY_NAME_MAX = 60;
export const displayName = text(DISPLAY_NAME_MAX);

const bounded = (name: keyof typeof SETTING_BOUNDS) => integer(SETTING_BOUNDS[name].min, SETTING_BOUNDS[name].max);
export const settings: Check<Partial<RotationSettings>> = object(
  {
    placement: oneOf(ROTATION_PLACEMENTS),
    alertAheadTurns: bounded('alertAheadTurns'),
    noShowTimeoutSeconds: bounded('noShowTimeoutSeconds'),
    maxPendingSongs: bounded('maxPendingSongs'),
    maxNoShows: bounded('maxNoShows'),
    autoAdvance: boolean,
  },
  ['placement', 'alertAheadTurns', 'noShowTimeoutSeconds', 'maxPendingSongs', 'maxNoShows', 'autoAdvance'],
);

export const joinPlacement: Check<JoinPlacement> = oneOf(JOIN_PLACEMENTS);

/** E.164: a plus, then up to 15 digits, the first not zero. */
export const phone: Check<string> = (value, field) => {
  if (typeof value !== 'string' || !/^\+[1-9]\d{6,14}$/.test(value)) {
    throw invalidRequest(`\`${field}\` must be a phone number in E.164 form, like +15551234567.`);
  }
  return value;
};

export const email: Check<string> = (value, field) => {
  if (typeof value !== 'string' || value.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
    throw invalidRequest(`\`${field}\` must be an email address, like amy@example.com.`);
  }
  return value;
};

export const NO_BODY = object({});
