/**
 * dynalite's item operations called as functions: each request checked by dynalite's own validations and
 * answered by its own action, exactly as its HTTP server does, without the HTTP. The answer is the object
 * dynalite would have written as JSON (and checksummed), for the in-process transport to hand to the SDK as
 * the SDK would have parsed it, so a read moves each item as it is rather than as text written and parsed again.
 * Table operations are left to the server: their answers carry timestamps the SDK turns into dates.
 */

/** dynalite's store, as its actions take it (opaque here). */
export type DynaliteStore = object;

type Callback = (err: (Error & { statusCode?: number; body?: object }) | null, data?: Record<string, unknown>) => void;
type Action = (store: DynaliteStore, data: Record<string, unknown>, cb: Callback) => void;
interface Validation {
  readonly types: object;
  readonly custom?: unknown;
}
// dynalite ships no types: the parts used here (the same modules its HTTP handler, index.js, calls).
const validations = require('dynalite/validations') as {
  checkTypes(data: unknown, types: object): Record<string, unknown>;
  checkValidations(data: Record<string, unknown>, types: object, custom: unknown, store: DynaliteStore): void;
};
const operation = (action: Action, validation: Validation) => ({ action, validation });
const OPERATIONS: Record<string, { action: Action; validation: Validation }> = {
  GetItem: operation(require('dynalite/actions/getItem'), require('dynalite/validations/getItem')),
  PutItem: operation(require('dynalite/actions/putItem'), require('dynalite/validations/putItem')),
  UpdateItem: operation(require('dynalite/actions/updateItem'), require('dynalite/validations/updateItem')),
  DeleteItem: operation(require('dynalite/actions/deleteItem'), require('dynalite/validations/deleteItem')),
  Query: operation(require('dynalite/actions/query'), require('dynalite/validations/query')),
  Scan: operation(require('dynalite/actions/scan'), require('dynalite/validations/scan')),
  BatchGetItem: operation(require('dynalite/actions/batchGetItem'), require('dynalite/validations/batchGetItem')),
  BatchWriteItem: operation(require('dynalite/actions/batchWriteItem'), require('dynalite/validations/batchWriteItem')),
};

/** Whether an operation (`PutItem`) is one answered here rather than by the server. */
export const isDynaliteItemOperation = (name: string): boolean => Object.hasOwn(OPERATIONS, name);

/** What dynalite answers: its output, or the error status and body its server would send. */
export type DynaliteAnswer =
  | { readonly output: Record<string, unknown> }
  | { readonly statusCode: number; readonly body: object };

/** `data` is the request as parsed from its JSON body (dynalite's checks change it: pass a fresh one). */
export type DynaliteOperation = (data: unknown) => Promise<DynaliteAnswer>;

/** The operation of that name (`Query`), or undefined for one left to the server. */
export const dynaliteOperation = (store: DynaliteStore, name: string): DynaliteOperation | undefined => {
  const op = isDynaliteItemOperation(name) ? OPERATIONS[name] : undefined;
  if (!op) return undefined;
  return (data) =>
    new Promise((resolve, reject) => {
      // Thrown errors with a status are answers (validation); any other is dynalite failing, which its server
      // would have thrown out of a callback: here it fails the request instead.
      const settle = (err: Parameters<Callback>[0], output?: Record<string, unknown>) => {
        if (!err) resolve({ output: output ?? {} });
        else if (err.statusCode && err.body) resolve({ statusCode: err.statusCode, body: err.body });
        else reject(err);
      };
      let checked: Record<string, unknown>;
      try {
        checked = validations.checkTypes(data, op.validation.types);
        validations.checkValidations(checked, op.validation.types, op.validation.custom, store);
      } catch (err) {
        return settle(err as Error);
      }
      op.action(store, checked, settle);
    });
};
