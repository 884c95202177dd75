import './polyfills';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../api/http/app';
import { createIdempotencyGuard } from '../api/http/idempotency';
import { bearerTokenClaims } from '../api/http/principal';
import { createLogger } from '../api/logger';
import type { ApiDeps } from '../api/deps';
import type { HistoryReader, QueueViewReader } from '../api/readModels';
import { streamQueueViewReader } from '../api/readModels';
import { createRotationService, type RotationService } from '../api/rotationService';
import { auditRoutes } from '../api/routes/auditRoutes';
import { rotationRoutes } from '../api/routes/rotationRoutes';
import { createDynamoEventStore } from '../eventstore/store';
import { createContactRegistry, NO_EMAIL_SUBSCRIPTIONS } from '../notifiers/contactRegistry';
import { createDynamoContactStore } from '../notifiers/contacts';
import { createOutboxNotifier, type OutboxNotifier } from '../notifiers/outboxNotifier';
import { addDevRoutes } from './devRoutes';
import { createDevTokens, devTokenSecret, type DevTokens } from './devTokens';
import { startEmbeddedDynamo, type EmbeddedDynamo } from './embeddedDynamo';
import { createLocalStreamFeed, type LocalStreamFeed } from './streamFeed';

export interface EngineOptions {
  /** Where the data lives; undefined keeps everything in memory (tests). */
  readonly dataDir?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly now?: () => string;
}

export interface Engine {
  readonly url: string;
  readonly port: number;
  readonly dynamo: EmbeddedDynamo;
  readonly feed: LocalStreamFeed;
  readonly service: RotationService;
  readonly tokens: DevTokens;
  stop(): Promise<void>;
}

/** The whole engine on one machine: embedded DynamoDB, the API's handlers, local sign-in. */
export const startEngine = async ({ dataDir, port = 3000, host = '127.0.0.1', now = () => new Date().toISOString() }: EngineOptions = {}): Promise<Engine> => {
  const dynamo = await startEmbeddedDynamo({ dataDir });
  try {
    const { client, tableNames } = dynamo;
    const eventTable = createDynamoEventStore({ client, tableName: tableNames.events });
    // Appends go through the feed, which hands each committed item on as a stream record (DynamoDB Streams).
    const feed = createLocalStreamFeed(eventTable);
    const service = createRotationService({ store: feed.store });
    const tokens = createDevTokens(devTokenSecret(dataDir));
    const queue: QueueViewReader = streamQueueViewReader(service);
    const history: HistoryReader = { performances: async () => [] };
    const contactStore = createDynamoContactStore({ client, tableName: tableNames.contacts });
    // No email subscriptions on one machine: alerts land in the outbox, which records the channel they would use.
    const contacts = createContactRegistry({ contacts: contactStore, subscriptions: NO_EMAIL_SUBSCRIPTIONS });
    const outbox: OutboxNotifier = createOutboxNotifier({ client, contacts: contactStore, tableName: tableNames.alerts });
    const deps: ApiDeps = {
      service,
      queue,
      history,
      contacts,
      idempotency: createIdempotencyGuard({ client, tableName: tableNames.idempotency }),
      claims: bearerTokenClaims((token) => tokens.verify(token)),
      logger: createLogger(),
      now,
      newId: randomUUID,
    };
    const app = createApp(deps, [...rotationRoutes, ...auditRoutes]);
    addDevRoutes(app, { tokens, outbox });
    const server = await listen(app.fetch, port, host);
    const bound = (server.address() as AddressInfo).port;
    return {
      url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`,
      port: bound,
      dynamo,
      feed,
      service,
      tokens,
      async stop() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await feed.drain();
        await dynamo.close();
      },
    };
  } catch (err) {
    await dynamo.close();
    throw err;
  }
};

const listen = (fetch: (request: Request) => Response | Promise<Response>, port: number, hostname: string) =>
  new Promise<ServerType>((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server));
    server.once('error', reject);
  });
