/**
 * A second command handler in a process of its own, sharing one store with the engine under test: what two
 * warm Lambda containers are to each other. It is the API's own app with the AWS adapters, pointed at the
 * engine's dynalite through the SDK's standard environment (AWS_ENDPOINT_URL_DYNAMODB), signing in with
 * local tokens made from SECOND_SERVER_SECRET. Prints `listening <port>` once it serves; SIGTERM stops it.
 *
 *   node --import tsx test/support/secondCommandServer.ts
 */
import '../../src/local/polyfills';
import { serve } from '@hono/node-server';
import { awsApiDeps } from '../../src/api/awsDeps';
import { createApp } from '../../src/api/http/app';
import { bearerTokenClaims } from '../../src/api/http/principal';
import { API_ROUTES } from '../../src/api/routes';
import { createDevTokens } from '../../src/local/devTokens';

const tokens = createDevTokens(Buffer.from(process.env.SECOND_SERVER_SECRET ?? '', 'hex'));
const app = createApp({ ...awsApiDeps(process.env), claims: bearerTokenClaims((token) => tokens.verify(token)) }, API_ROUTES);
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.stdout.write(`listening ${info.port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
