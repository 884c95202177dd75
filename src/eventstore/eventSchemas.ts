/**
 * Every event is checked against its schema in events/schemas before it is appended (issue 11): an event the
 * schema refuses (an id that is not an id, a field too long, a setting no schema knows) is never written, so
 * it can never break a rotation's queue view, audit or replay for good.
 *
 * The schema files use a small part of JSON Schema draft-04; this checks exactly that part, and refuses to
 * load a schema using anything else, so a richer schema fails loudly here, not silently later. It is a few
 * lines instead of a validator library, which keeps the API's Lambda bundle small;
 * test/eventstore/eventSchemas.test.ts checks it agrees with a full draft-04 validator.
 */
import RotationClosed from '../../events/schemas/RotationClosed.v1.json';
import RotationOpened from '../../events/schemas/RotationOpened.v1.json';
import SingerCameBack from '../../events/schemas/SingerCameBack.v1.json';
import SingerConfirmed from '../../events/schemas/SingerConfirmed.v1.json';
import SingerJoined from '../../events/schemas/SingerJoined.v1.json';
import SingerLeft from '../../events/schemas/SingerLeft.v1.json';
import SingerMoved from '../../events/schemas/SingerMoved.v1.json';
import SingerWentAway from '../../events/schemas/SingerWentAway.v1.json';
import SkipRequested from '../../events/schemas/SkipRequested.v1.json';
import SongQueued from '../../events/schemas/SongQueued.v1.json';
import SongWithdrawn from '../../events/schemas/SongWithdrawn.v1.json';
import TurnCalled from '../../events/schemas/TurnCalled.v1.json';
import TurnCompleted from '../../events/schemas/TurnCompleted.v1.json';
import TurnForfeited from '../../events/schemas/TurnForfeited.v1.json';
import TurnSkipped from '../../events/schemas/TurnSkipped.v1.json';
import TurnStarted from '../../events/schemas/TurnStarted.v1.json';
import { CodedError } from '../codedError';

export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly pattern?: string;
}

/** Keywords that say what a value must be, all checked below. */
const CHECKED = new Set(['type', 'enum', 'required', 'properties', 'additionalProperties', 'items', 'minLength', 'maxLength', 'minimum', 'maximum', 'pattern']);
/** Keywords that only describe. */
const ANNOTATIONS = new Set(['$schema', 'id', 'title', 'description']);

/** An event its schema refuses: nothing was appended. */
export class InvalidEventError extends CodedError {
  override readonly code = 'invalid-event' as const;

  constructor(
    readonly eventType: string,
    readonly problem: string,
  ) {
    super(`This change cannot be recorded: its ${eventType} event does not match the event's schema (${problem}). Nothing was written.`);
  }
}

type Check = (value: unknown, at: string) => string | null;

const typeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;

const hasType = (value: unknown, type: string): boolean => {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
};

const codePoints = (text: string): number => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Compiles a schema once into a check that answers the first problem found, or null. */
export const compileSchema = (schema: JsonSchema, where = '#'): Check => {
  for (const key of Object.keys(schema)) {
    if (!CHECKED.has(key) && !ANNOTATIONS.has(key)) throw new Error(`${where}: JSON Schema keyword "${key}" is not supported by the event checker`);
  }
  const checks: Check[] = [];
  const { type, pattern, properties, additionalProperties, items, required } = schema;
  if (type !== undefined) {
    const types = typeof type === 'string' ? [type] : type;
    checks.push((v, at) => (types.some((t) => hasType(v, t)) ? null : `${at} must be ${types.join(' or ')}`));
  }
  if (schema.enum) {
    const allowed = schema.enum;
    checks.push((v, at) => (allowed.some((a) => sameJson(a, v)) ? null : `${at} must be one of ${JSON.stringify(allowed)}`));
  }
  const onString = (check: (s: string) => boolean, what: string) =>
    checks.push((v, at) => (typeof v !== 'string' || check(v) ? null : `${at} ${what}`));
  const onNumber = (check: (n: number) => boolean, what: string) =>
    checks.push((v, at) => (typeof v !== 'number' || check(v) ? null : `${at} ${what}`));
  if (schema.minLength !== undefined) onString((s) => codePoints(s) >= schema.minLength!, `must be at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined) onString((s) => codePoints(s) <= schema.maxLength!, `must be at most ${schema.maxLength} characters`);
  if (pattern !== undefined) {
    const regex = new RegExp(pattern, 'u');
    onString((s) => regex.test(s), `must match ${pattern}`);
  }
  if (schema.minimum !== undefined) onNumber((n) => n >= schema.minimum!, `must be at least ${schema.minimum}`);
  if (schema.maximum !== undefined) onNumber((n) => n <= schema.maximum!, `must be at most ${schema.maximum}`);
  if (items) {
    const item = compileSchema(items, `${where}/items`);
    checks.push((v, at) => {
      if (!Array.isArray(v)) return null;
      for (const [i, element] of v.entries()) {
        const problem = item(element, `${at}[${i}]`);
        if (problem) return problem;
      }
      return null;
    });
  }
  if (properties || required || additionalProperties !== undefined) {
    // A Map, never a plain object: a property named `constructor` or `__proto__` is just a name here.
    const known = new Map(Object.entries(properties ?? {}).map(([name, s]) => [name, compileSchema(s, `${where}/${name}`)] as const));
    const extra = typeof additionalProperties === 'object' ? compileSchema(additionalProperties, `${where}/additionalProperties`) : null;
    checks.push((v, at) => {
      if (typeOf(v) !== 'object') return null;
      const object = v as Record<string, unknown>;
      // As stored: DynamoDB drops undefined values, so an undefined property is an absent one.
      const present = (name: string) => Object.hasOwn(object, name) && object[name] !== undefined;
      for (const name of required ?? []) if (!present(name)) return `${at}.${name} is required`;
      for (const name of Object.keys(object)) {
        if (!present(name)) continue;
        const check = known.get(name) ?? extra;
        if (!check) {
          if (additionalProperties === false) return `${at} has an unknown field ${JSON.stringify(name)}`;
          continue;
        }
        const problem = check(object[name], `${at}.${name}`);
        if (problem) return problem;
      }
      return null;
    });
  }
  return (value, at) => {
    for (const check of checks) {
      const problem = check(value, at);
      if (problem) return problem;
    }
    return null;
  };
};

/** The schema files, by `<type>.v<version>`. */
export const EVENT_SCHEMAS: ReadonlyMap<string, JsonSchema> = new Map(
  ([RotationClosed, RotationOpened, SingerCameBack, SingerConfirmed, SingerJoined, SingerLeft, SingerMoved, SingerWentAway, SkipRequested, SongQueued, SongWithdrawn, TurnCalled, TurnCompleted, TurnForfeited, TurnSkipped, TurnStarted] as JsonSchema[]).map((schema) => [`${(schema as { title: string }).title}.v${versionOf(schema)}`, schema]),
);

function versionOf(schema: JsonSchema): number {
  const versions = schema.properties?.schemaVersion?.enum;
  if (!versions || versions.length !== 1) throw new Error('An event schema must pin one schemaVersion');
  return versions[0] as number;
}

const checkers = new Map([...EVENT_SCHEMAS].map(([key, schema]) => [key, compileSchema(schema, key)] as const));

/** The first problem of a stored event against its schema, or null when it matches. */
export const eventProblem = (event: { readonly type: string; readonly schemaVersion: number; readonly data: unknown; readonly seq?: number }): string | null => {
  const check = checkers.get(`${event.type}.v${event.schemaVersion}`);
  if (!check) return `there is no schema for ${event.type} v${event.schemaVersion}`;
  return check(event, 'event');
};

/** Throws InvalidEventError unless the event matches its schema. */
export const assertEventMatchesSchema = (event: Parameters<typeof eventProblem>[0]): void => {
  const problem = eventProblem(event);
  if (problem) throw new InvalidEventError(event.type, problem);
};
