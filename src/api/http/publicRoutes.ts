import { Scalar } from '@scalar/hono-api-reference';
import type { Hono } from 'hono';
import * as z from 'zod';
import { openApiDocument } from '../contract/openapi';
import { Health } from '../contract/schemas';
import type { Endpoint } from './route';

/** The routes open to anyone, the same in AWS and on one machine (API.md): no token, no body. */
export const HEALTH_ENDPOINT: Endpoint = {
  method: 'GET',
  path: '/health',
  summary: 'Liveness: 200 once the server accepts commands',
  success: { status: 200, schema: Health },
};
export const OPENAPI_ENDPOINT: Endpoint = {
  method: 'GET',
  path: '/openapi.json',
  summary: 'This document: OpenAPI 3.1, made from the schemas that validate requests',
  success: { status: 200, schema: z.record(z.string(), z.unknown()) },
};
export const DOCS_ENDPOINT: Endpoint = {
  method: 'GET',
  path: '/docs',
  summary: 'A page that renders this document, with a try-it console',
  success: { status: 200, contentType: 'text/html', schema: z.string() },
};
export const PUBLIC_ENDPOINTS: readonly Endpoint[] = [HEALTH_ENDPOINT, OPENAPI_ENDPOINT, DOCS_ENDPOINT];

/** The Scalar API reference's browser bundle, pinned so the page renders the same everywhere. */
export const SCALAR_BUNDLE_URL = 'https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.76.0';

/** Registers the public routes; the document covers them and every endpoint given (the app's other routes). */
export const addPublicRoutes = (app: Hono, endpoints: readonly Endpoint[], { scalarBundleUrl = SCALAR_BUNDLE_URL } = {}): void => {
  let document: object | undefined;
  app.get(HEALTH_ENDPOINT.path, (c) => c.json({ status: 'ok' }));
  app.get(OPENAPI_ENDPOINT.path, (c) => c.json((document ??= openApiDocument([...PUBLIC_ENDPOINTS, ...endpoints]))));
  app.get(
    DOCS_ENDPOINT.path,
    // Relative, so the page finds the document behind any prefix (a CloudFront path, an API stage).
    Scalar({ url: './openapi.json', pageTitle: 'Karaoke rotation engine API', cdn: scalarBundleUrl }),
  );
};
