import type * as z from 'zod';
import type { RotationRejectionCode } from '../../aggregates/rotation/rejections';
import type { StoredResponse } from './idempotency';
import type { Principal, PrincipalRole } from './principal';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A body schema per role, where a KJ and a singer send different shapes to one route. */
export type BodiesByRole = { readonly [R in PrincipalRole]: z.ZodType };

/** A file upload's limits: its size, and its content types, each with the schema that documents it. */
export interface Upload {
  readonly maxBytes: number;
  readonly contentTypes: Readonly<Record<string, z.ZodType>>;
}

export interface UploadedFile {
  readonly contentType: string;
  readonly text: string;
}

/** An answer that is not a success, beyond those every route of its kind can give (src/api/contract/openapi.ts). */
export interface ErrorCase {
  readonly status: number;
  readonly code: string;
}

/**
 * A route as the OpenAPI document describes it: its schemas are the ones that validate its requests, so the
 * document cannot drift from what the server accepts.
 */
export interface Endpoint {
  readonly method: Method;
  /** Hono path pattern, e.g. /rotations/:rotationId/queue; every `:param` is an id. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  /** Which roles may call it at all (ownership of a rotation is the domain's check); none: no token needed. */
  readonly roles?: readonly PrincipalRole[];
  readonly query?: z.ZodType;
  /** Absent: the route takes no body (none, or `{}`). */
  readonly body?: z.ZodType | BodiesByRole;
  /** A file sent as it is (not parsed as JSON): the handler gets `{contentType, text}`. */
  readonly upload?: Upload;
  readonly success: {
    readonly status: 200 | 201 | 302;
    readonly schema?: z.ZodType;
    /** Default application/json. */
    readonly contentType?: string;
    readonly description?: string;
  };
  /** The domain's rejections this route can answer with (mapped to a status by rejectionError). */
  readonly rejects?: readonly RotationRejectionCode[];
  readonly errors?: readonly ErrorCase[];
  /** Served by `npm start` only, never in AWS. */
  readonly localOnly?: boolean;
}

type Output<S, U = undefined> = U extends Upload ? UploadedFile : S extends z.ZodType ? z.output<S> : S extends BodiesByRole ? z.output<S[PrincipalRole]> : undefined;

export interface RouteRequest<Body = unknown, Query = Readonly<Record<string, string | undefined>>> {
  readonly principal: Principal;
  /** Path parameters, already checked to be well-formed ids. */
  readonly params: Readonly<Record<string, string>>;
  /** Already validated against the route's body schema. */
  readonly body: Body;
  readonly query: Query;
  /** The command id: derived from the Idempotency-Key when there is one, so the event store dedupes too. */
  readonly commandId: string;
  /** ISO-8601 time the request arrived: commands carry it into the domain. */
  readonly now: string;
  /** Adds fields to the request's log line (rotation id, command, outcome). */
  readonly annotate: (fields: Record<string, unknown>) => void;
}

/** A route the API's pipeline serves (src/api/http/app.ts): sign-in, role, input, idempotency, handler. */
export interface Route<Deps> extends Endpoint {
  readonly roles: readonly PrincipalRole[];
  /** A singer may call it only for this path parameter equal to their own id (a KJ passes). */
  readonly selfParam?: string;
  handle(request: RouteRequest<any, any>, deps: Deps): Promise<StoredResponse>;
}

/**
 * Declares routes with handlers typed by their schemas: the request's body and query are what the schemas
 * parse to, and the handler must answer what the success schema documents. `defineRoute<ApiDeps>()(spec, handle)`.
 */
export const defineRoute =
  <Deps>() =>
  <const Spec extends Omit<Endpoint, 'roles'> & { readonly roles: readonly PrincipalRole[]; readonly selfParam?: string }>(
    spec: Spec,
    handle: (
      request: RouteRequest<Output<Spec['body'], Spec['upload']>, Spec['query'] extends z.ZodType ? z.output<Spec['query']> : Readonly<Record<string, never>>>,
      deps: Deps,
    ) => Promise<Spec['success']['schema'] extends z.ZodType ? z.input<Spec['success']['schema']> : unknown>,
  ): Route<Deps> => ({
    ...spec,
    async handle(request, deps) {
      return { status: spec.success.status, body: await handle(request, deps) };
    },
  });

/** A success body already serialized (a rendering many reads share): the pipeline sends its text as it is. */
export class JsonText {
  constructor(readonly text: string | Uint8Array<ArrayBuffer>) {}
}

/** Answers JSON (text or UTF-8 bytes) made elsewhere from the same shape a handler would return (its schema's input). */
export const preSerialized = <T>(text: string | Uint8Array<ArrayBuffer>): T => new JsonText(text) as unknown as T;
