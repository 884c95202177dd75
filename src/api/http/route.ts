import type { IdempotencyGuard, StoredResponse } from './idempotency';
import type { Principal } from './principal';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteRequest {
  readonly principal: Principal;
  /** Path parameters, already checked to be well-formed ids. */
  readonly params: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly query: Readonly<Record<string, string>>;
  /** The command id: derived from the Idempotency-Key when there is one, so the event store dedupes too. */
  readonly commandId: string;
  /** ISO-8601 time the request arrived: commands carry it into the domain. */
  readonly now: string;
  /** Adds fields to the request's log line (rotation id, command, outcome). */
  readonly annotate: (fields: Record<string, unknown>) => void;
}

export interface Route<Deps> {
  readonly method: Method;
  /** Hono path pattern, e.g. /rotations/:rotationId/queue */
  readonly path: string;
  /** Which role may call it at all; ownership of a rotation is the domain's check. */
  readonly roles: readonly Principal['role'][];
  /** A singer may call it only for this path parameter equal to their own id (a KJ passes). */
  readonly selfParam?: string;
  readonly query?: readonly string[];
  handle(request: RouteRequest, deps: Deps): Promise<StoredResponse>;
}

export type IdempotencyDeps = { readonly idempotency: IdempotencyGuard };

export const ok = (body: unknown, status = 200): StoredResponse => ({ status, body });
