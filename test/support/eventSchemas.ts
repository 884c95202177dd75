import Ajv from 'ajv-draft-04';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SCHEMA_DIR = join(__dirname, '..', '..', 'events', 'schemas');

interface SchemaFile {
  file: string;
  type: string;
  version: number;
  schema: object;
}

export const loadSchemaFiles = (): SchemaFile[] =>
  readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => {
      const match = /^(\w+)\.v(\d+)\.json$/.exec(file);
      if (!match) throw new Error(`Schema file ${file} is not named <EventType>.v<version>.json`);
      return { file, type: match[1]!, version: Number(match[2]), schema: JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) };
    });

const ajv = new Ajv({ allErrors: true });
const validators = new Map(loadSchemaFiles().map((s) => [`${s.type}.v${s.version}`, ajv.compile(s.schema)]));

/** ajv's verdict on a stored event (JSON as stored), for comparing the engine's own checker with a full validator. */
export const ajvAccepts = (event: { type: string; schemaVersion: number }): boolean => {
  const validate = validators.get(`${event.type}.v${event.schemaVersion}`);
  return validate ? validate(JSON.parse(JSON.stringify(event))) === true : false;
};

/** Throws with ajv's errors when the event does not match the schema of its type and version. */
export const assertEventMatchesSchema = (event: { type: string; data: unknown }, schemaVersion = 1): void => {
  const validate = validators.get(`${event.type}.v${schemaVersion}`);
  if (!validate) throw new Error(`No schema for event type ${event.type} v${schemaVersion} in events/schemas/`);
  // Round-trip through JSON: that is how events are stored and published.
  const stored = JSON.parse(JSON.stringify({ type: event.type, schemaVersion, data: event.data }));
  if (!validate(stored)) {
    throw new Error(`${event.type} does not match its schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(stored)}`);
  }
};
