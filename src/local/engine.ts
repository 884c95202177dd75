import './polyfills';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApp } from '../api/http/app';
import { createDynamoJoinCodes } from '../api/joinCodes';
import { createIdempotencyGuard } from '../api/http/idempotency';
import { bearerTokenClaims } from '../api/http/principal';
import { createLogger } from '../api/logger';
import type { ApiDeps } from '../api/deps';
import type { HistoryReader, QueueViewReader } from '../projections/readModels';
import type { RotationState } from '../aggregates/rotation';
import { createRotationService, type RotationService } from '../eventstore/rotationService';
import { createDecidedStates } from '../eventstore/decidedStates';
import { API_ROUTES } from '../api/routes';
import { createDynamoEventStore } from '../eventstore/dynamoEventStore';
import { createDynamoBookStore } from '../songbook/bookStore';
import { createSongbooks } from '../songbook/songbooks';
import { createContactRegistry } from '../notifiers/contactRegistry';
import { createDynamoContactStore } from '../notifiers/contacts';
import { createOutboxNotifier, type OutboxNotifier } from '../notifiers/outboxNotifier';
import type { PageConfig } from '../api/pageConfig';
import { catchUpProjections, createHotQueueViews, createProjectionStreamHandler, createRotationReadModels } from '../projections';
import type { LiveViewPublisher } from '../projections/liveViewPublisher';
import { poisonMetricLine, type PoisonRecord } from '../projections/poisonRecords';
import { withLiveViews } from '../projections/liveViews';
import { writeQueueViewBehind } from '../projections/queueViewWriteBehind';
import { createAnchorLog } from './anchorLog';
import { addAuthRoutes, AUTH_ENDPOINTS } from './authRoutes';
import { makeDataFolderPrivate } from './dataFolder';
import { addDevRoutes, DEV_ENDPOINTS } from './devRoutes';
import { createDevTokens, devTokenSecret, type DevTokens } from './devTokens';
import { kjPassphrase, type KjPassphrase } from './kjPassphrase';
import { liveTicketRoute } from './liveTicketRoute';
import { createLiveTickets } from './liveTickets';
import { addLiveUpdates, LIVE_ENDPOINT } from './liveUpdates';
import { checkPublicUrl, publicUrlFor } from './publicUrl';
import { rotationChangesFrom } from './rotationChanges';
import { DEFAULT_WEB_DIR, serveWebPages } from './webPages';
import { startEmbeddedDynamo, type EmbeddedDynamo } from './embeddedDynamo';
import { answerParserErrors } from './clientErrors';
import { createInFlightRequests } from './inFlight';
import { createLocalStreamFeed, type LocalStreamFeed } from './streamFeed';
import { startTurnRuntime, type TurnRuntime } from './turnRuntime';

export interface EngineOptions {
  /** Where the data lives; undefined keeps everything in memory (tests). */
  readonly dataDir?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly now?: () => string;
  /** The built web pages to serve (default dist/web, from `npm run build:web`). */
  readonly webDir?: string;
  /** Turn workflow task timeouts, seconds → ms (default real time); tests shrink it (src/local/turnRuntime.ts). */
  readonly secondsToMs?: (seconds: number) => number;
  /** Where sent alerts are printed (default the console; tests that assert on the outbox read GET /dev/outbox). */
  readonly printAlert?: (line: string) => void;
  /** The URL phones open (PUBLIC_URL); default: the LAN address when `host` is not loopback (src/local/publicUrl.ts). */
  readonly publicUrl?: string;
  /**
   * What GET /config answers, from the public URL (default: the local ways). Tests of the pages' AWS ways answer
   * the AWS shape, pointing at local stand-ins of Cognito's sign-in and AppSync Events.
   */
  readonly pageConfig?: (publicUrl: string) => PageConfig;
  /** Also publish each moved rotation's queue view after a commit, exactly as the projector Lambda does. */
  readonly liveViews?: LiveViewPublisher;
  /**
   * `in-process` (default): the store has no port. `tcp`: a loopback port, for tests that run a second command
   * handler in another process on the same store (what two Lambda containers are to each other).
   */
  readonly storeTransport?: 'in-process' | 'tcp';
  /** How often a quiet live stream is pinged (tests shorten it; default in liveUpdates.ts). */
  readonly liveHeartbeatMs?: number;
}

export interface Engine {
  readonly url: string;
  /** The Hono app it serves (its route table, for tests of the OpenAPI document). */
  readonly app: Hono;
  readonly port: number;
  readonly dynamo: EmbeddedDynamo;
  readonly feed: LocalStreamFeed;
  readonly service: RotationService;
  readonly tokens: DevTokens;
  /** The KJ passphrase (`npm start` prints it; in memory without a data folder). */
  readonly passphrase: KjPassphrase;
  /** Where phones open the pages: what the join QR codes point at. */
  readonly publicUrl: string;
  /** The turn workflow, its bus and its local Step Functions. */
  readonly turns: TurnRuntime;
  stop(): Promise<void>;
}

const PROJECTIONS_SUBSCRIPTION = 'projections';

/** The whole engine on one machine: embedded DynamoDB, the API's handlers, local sign-in. */
export const startEngine = async ({
  dataDir,
  port = 3000,
  host = '127.0.0.1',
  now = () => new Date().toISOString(),
  webDir = DEFAULT_WEB_DIR,
  secondsToMs,
  printAlert = defaultPrintAlert,
  publicUrl: givenPublicUrl,
  pageConfig = (publicUrl) => ({ mode: 'local', signIn: 'local', live: 'sse', publicUrl }),
  liveViews,
  storeTransport = 'in-process',
  liveHeartbeatMs,
}: EngineOptions = {}): Promise<Engine> => {
  // Before anything starts: a PUBLIC_URL phones cannot open would only show as QR codes that do not work.
  if (givenPublicUrl?.trim()) checkPublicUrl(givenPublicUrl);
  // Contacts, the token secret and the passphrase live here: no other user of the machine may read them.
  if (dataDir !== undefined) makeDataFolderPrivate(dataDir);
  // In-process: the store has no port another process (or a browser) could reach.
  // A failed write stops all saving until a restart (embeddedDynamo.ts): the KJ at the laptop must hear it.
  const dynamo = await startEmbeddedDynamo({ dataDir, transport: storeTransport, onWriteFailed: (error) => console.error(error.message) });
  try {
    const { client, tableNames } = dynamo;
    const eventTable = createDynamoEventStore({ client, tableName: tableNames.events });
    // Appends go through the feed, which hands each committed item on as a stream record (DynamoDB Streams).
    const feed = createLocalStreamFeed(eventTable);
    // Read models: caught up from the event table before serving (a crash between an append and its projection
    // loses nothing), then fed each commit by an awaited subscriber (a command's effect shows in the next read).
    // The queue view is rendered from the state its projection just applied (read-your-writes, no read-back).
    const hot = createHotQueueViews();
    const readModels = createRotationReadModels(client, tableNames, { hot });
    // After a clean stop every commit had reached them: the mark says so, and the catch-up (which reads every
    // stream, so grows with the history) is skipped. Taken now, so a crash from here on leaves no mark.
    const current = await readModels.caughtUp.take();
    const caughtUp = current ? undefined : await catchUpProjections({ store: eventTable, projections: readModels.projections });
    for (const f of caughtUp?.failures ?? []) console.error(`read model ${f.projection} could not catch up ${f.streamId}: ${f.code}: ${f.message}`);
    // A read model left behind (a failed catch-up or a poison record) must be retried and reported at the next start.
    let behind = (caughtUp?.failures.length ?? 0) > 0;
    const poison = (record: PoisonRecord) => {
      behind = true;
      console.log(poisonMetricLine(record));
    };
    // The queue view is applied to the held state at once and its item written once per burst (reads render the
    // held state; a restart's catch-up applies what was not written yet).
    // The command path notes each state it decides; the queue view takes it instead of folding the commit again.
    const decided = createDecidedStates<RotationState>();
    const queueViewWriter = writeQueueViewBehind(readModels.queueProjection, { store: eventTable, hot, poison, decided });
    const project = createProjectionStreamHandler({
      projections: readModels.projections.map((p) => (p === readModels.queueProjection ? queueViewWriter : p)),
      store: eventTable,
      poison,
    });
    feed.subscribe({
      name: PROJECTIONS_SUBSCRIPTION,
      awaited: true,
      consumer: liveViews ? withLiveViews(project, { queue: readModels.queue, publisher: liveViews, now }) : project,
    });
    // One writer per rotation appends and moves on; each answer waits until the read models have its commit.
    const service = createRotationService({ store: feed.pipelined, settled: (commit) => feed.delivered(commit), decided });
    // One secret per data folder: it signs sign-in tokens, and live tickets derive their own key from it.
    const secret = devTokenSecret(dataDir);
    const passphrase = kjPassphrase(dataDir);
    const tokens = createDevTokens(secret, { kjPassphrase: passphrase });
    // Known once the server listens (port 0 picks one); /config and the join redirect read it per request.
    let publicUrl = '';
    const queue: QueueViewReader = readModels.queue;
    const history: HistoryReader = readModels.history;
    const contactStore = createDynamoContactStore({ client, tableName: tableNames.contacts });
    // No email subscriptions on one machine: alerts land in the outbox, which records the channel they would use.
    const contacts = createContactRegistry({ contacts: contactStore });
    const outbox: OutboxNotifier = createOutboxNotifier({ client, contacts: contactStore, tableName: tableNames.alerts, print: printAlert });
    // Turn workflow: stream feed → bus → rules → the turn ASL on the local interpreter; alerts go to the outbox.
    const turns = startTurnRuntime({ feed, service, notifier: outbox, client, tableNames, now, secondsToMs });
    await turns.resumeOpenTurns(readModels.openTurns);
    const deps: ApiDeps = {
      service,
      queue,
      history,
      contacts,
      idempotency: createIdempotencyGuard({ client, tableName: tableNames.idempotency }),
      joinCodes: createDynamoJoinCodes({ client, tableName: tableNames.joinCodes }),
      anchors: createAnchorLog(dataDir),
      claims: bearerTokenClaims((token) => tokens.verify(token)),
      logger: createLogger(),
      now,
      newId: randomUUID,
      // Every change to a book goes through this process: a kept book is always current.
      songbooks: createSongbooks({ store: createDynamoBookStore({ client, tableName: tableNames.songbook }), freshForMs: Infinity }),
      pageConfig: () => pageConfig(publicUrl),
    };
    // Live updates: the queue view pushed over SSE after each commit; EventSource opens it with a live ticket.
    const liveTickets = createLiveTickets(secret);
    const app = createApp(deps, [...API_ROUTES, liveTicketRoute(liveTickets)], { alsoServed: [...AUTH_ENDPOINTS, ...DEV_ENDPOINTS, LIVE_ENDPOINT] });
    addDevRoutes(app, { tokens, outbox });
    addAuthRoutes(app, { tokens, passphrase });
    const live = addLiveUpdates(app, {
      changes: rotationChangesFrom(feed),
      queue: deps.queue,
      tickets: liveTickets,
      now,
      log: (m, f) => deps.logger.info(m, f),
      ...(liveHeartbeatMs === undefined ? {} : { heartbeatMs: liveHeartbeatMs }),
    });
    serveWebPages(app, webDir, (m) => deps.logger.warn(m), () => connectSourcesOf(deps.pageConfig('')));
    const inFlight = createInFlightRequests();
    // Streaming responses (SSE) count only until their handler returns the stream, not while it stays open.
    // The node-server env (the socket) goes along: live streams are limited per client address.
    const server = await listen((request, env) => inFlight.track(Promise.resolve(app.fetch(request, env))), port, host);
    const bound = (server.address() as AddressInfo).port;
    publicUrl = publicUrlFor({ host, port: bound, publicUrl: givenPublicUrl });
    return {
      url: `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${bound}`,
      app,
      port: bound,
      dynamo,
      feed,
      service,
      tokens,
      passphrase,
      publicUrl,
      turns,
      async stop() {
        live.close(); // open event streams would keep server.close() waiting forever
        await new Promise<void>((resolve) => server.close(() => resolve()));
        const settled = await inFlight.settled(10_000); // handlers of clients that hung up still finish their commands
        await turns.stop(); // waiting turns end here; their open turns are resumed on the next start
        await feed.drain();
        // The queue view items written behind go out before the mark can vouch for them.
        // A store that stays unreachable leaves some unwritten (the next start catches them up).
        await queueViewWriter.flush();
        const flushed = queueViewWriter.pending() === 0;
        // Only the store's one writer (no port), every command finished and every delivery applied, can vouch
        // that the read models hold the whole table (src/projections/caughtUpMark.ts).
        const projectedAll = flushed && !behind && !feed.gaveUp(PROJECTIONS_SUBSCRIPTION) && !dynamo.writeFailed();
        if (dataDir !== undefined && storeTransport === 'in-process' && settled && projectedAll) await readModels.caughtUp.set(now());
        await dynamo.close();
      },
    };
  } catch (err) {
    await dynamo.close();
    throw err;
  }
};

// Under jest the outbox is asserted through GET /dev/outbox; printing every alert would only bury failures.
const defaultPrintAlert = process.env.JEST_WORKER_ID ? () => {} : (line: string) => console.log(line);

const listen = (fetch: (request: Request, env: unknown) => Response | Promise<Response>, port: number, hostname: string) =>
  new Promise<ServerType>((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server));
    server.once('error', reject);
    answerParserErrors(server as Server);
  });

/** Where pages told GET /config's answer must be allowed to connect: its sign-in, live and API origins. */
const connectSourcesOf = (config: PageConfig): string[] =>
  config.mode === 'local' ? [] : [config.cognito.domain, config.liveUrl, config.apiUrl].flatMap((url) => (url ? [new URL(url).origin] : []));
