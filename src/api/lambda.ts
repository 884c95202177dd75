import type { Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { awsApiDeps } from './awsDeps';
import { createApp } from './http/app';
import { API_ROUTES } from './routes';

/** API Gateway HTTP API (payload v2) → the same Hono app `npm start` serves. Built once per container. */
const deps = awsApiDeps();
const app = createApp(deps, API_ROUTES);
const hono = handle(app);

export const handler = (event: Parameters<typeof hono>[0], context: Context) => {
  deps.idempotency.registerLambdaContext(context);
  return hono(event, context);
};
