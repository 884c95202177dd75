import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';

/** The OpenAPI document as the tests read it: paths of operations, and components to resolve references. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
}
export interface Operation {
  operationId: string;
  security: Record<string, string[]>[];
  parameters?: { name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema; 'x-body-by-role'?: Record<string, JsonSchema> }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
  'x-roles'?: ('kj' | 'singer')[];
}
export type JsonSchema = Record<string, any>;

export const METHODS = ['get', 'post', 'put', 'delete'] as const;

/** Every operation of the document with its method and path. */
export const operationsOf = (doc: OpenApiDocument) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ method: method.toUpperCase(), path, operation: item[method]! })),
  );

/**
 * Validators for schemas of the document, with `#/components/schemas/…` references resolved against it:
 * an independent JSON Schema 2020-12 implementation (ajv) judging what the document promises.
 */
export const schemaValidator = (doc: OpenApiDocument) => {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
  ajv.addSchema({ $id: 'doc', components: doc.components }, 'doc');
  const cache = new Map<JsonSchema, ValidateFunction>();
  const rewrite = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(rewrite)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(
            Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/components', 'doc#/components') : rewrite(v)]),
          )
        : value;
  return (schema: JsonSchema) => {
    let validate = cache.get(schema);
    if (!validate) {
      validate = ajv.compile(rewrite(schema) as JsonSchema);
      cache.set(schema, validate);
    }
    return validate;
  };
};

/** Follows `$ref`s to a component. */
export const resolve = (doc: OpenApiDocument, schema: JsonSchema): JsonSchema =>
  typeof schema.$ref === 'string' ? resolve(doc, doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')]!) : schema;
