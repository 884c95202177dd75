/**
 * Publishes a rotation's queue view to its AppSync Events channel through the API's HTTP publish endpoint
 * (`POST https://<http domain>/event`), signed with SigV4 as the projector's IAM role: the namespace lets only
 * IAM publish, so the pages' Cognito tokens and the venue screen's API key can subscribe but never publish.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { QueueView } from '../aggregates/rotation';
import { LivePublishError } from './errors';
import { LIVE_HEAD_UPCOMING, LIVE_VIEW_BUDGET_BYTES, liveChannelOf, type LiveViewTooLarge } from './liveChannels';

/** The Event API's HTTP publish URL, `https://<id>.appsync-api.<region>.amazonaws.com/event`; the CDK app sets it. */
export const LIVE_EVENTS_URL_ENV = 'LIVE_EVENTS_URL';

export interface LiveViewPublisher {
  publish(rotationId: string, view: QueueView): Promise<'published' | 'no-channel'>;
}

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Lambda puts its role's credentials in the environment; read at each signing, as they rotate. */
export const credentialsFromEnv = (env: Readonly<Record<string, string | undefined>> = process.env) => async (): Promise<AwsCredentials> => {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  if (!accessKeyId || !secretAccessKey) throw new LivePublishError('no AWS credentials in the environment');
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
};

const bytes = (data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);

/** SHA-256 (and HMAC-SHA-256 with a secret) from node:crypto, in the shape SignatureV4 takes. */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

export interface AppSyncEventsPublisherOptions {
  /** LIVE_EVENTS_URL. */
  readonly url: string;
  readonly region: string;
  readonly credentials: () => Promise<AwsCredentials>;
  readonly fetch?: typeof globalThis.fetch;
  /**
   * How long one publish may wait for its answer. Publishing is best effort after the batch is applied: an endpoint
   * that hangs must not hold the shard on fetch's own timeouts (minutes), past the projector's Lambda timeout.
   */
  readonly timeoutMs?: number;
}

export const LIVE_PUBLISH_TIMEOUT_MS = 2000;

const tooLargeMarker = (rotationId: string, view: QueueView): LiveViewTooLarge<QueueView> => ({
  kind: 'view-too-large',
  rotationId,
  version: view.version,
  head: { ...view, upcoming: view.upcoming.slice(0, LIVE_HEAD_UPCOMING), singers: [] },
});

interface PublishAnswer {
  readonly failed?: readonly { readonly code?: number; readonly msg?: string }[];
}

export const createAppSyncEventsPublisher = ({
  url,
  region,
  credentials,
  fetch = globalThis.fetch,
  timeoutMs = LIVE_PUBLISH_TIMEOUT_MS,
}: AppSyncEventsPublisherOptions): LiveViewPublisher => {
  const endpoint = new URL(url);
  const signer = new SignatureV4({ service: 'appsync', region, credentials, sha256: NodeSha256 });

  return {
    publish: async (rotationId, view) => {
      const channel = liveChannelOf(rotationId);
      if (!channel) return 'no-channel';
      // Each event is a JSON string; the pages parse it back into the view GET …/queue would answer, or, for a
      // view the service would refuse as too large, into a marker on which they read the queue themselves.
      const whole = JSON.stringify(view);
      const event = Buffer.byteLength(JSON.stringify(whole)) <= LIVE_VIEW_BUDGET_BYTES ? whole : JSON.stringify(tooLargeMarker(rotationId, view));
      const body = JSON.stringify({ channel, events: [event] });
      const signed = await signer.sign({
        method: 'POST',
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
        path: endpoint.pathname,
        query: {},
        headers: { host: endpoint.host, 'content-type': 'application/json' },
        body,
      });
      let response: Response;
      let text: string;
      try {
        // fetch sets Host itself, to the same `endpoint.host` that was signed.
        const { host: _host, ...headers } = signed.headers as Record<string, string>;
        response = await fetch(endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
        text = await response.text();
      } catch (err) {
        const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message;
        throw new LivePublishError(`${channel}: ${reason}`, { cause: err });
      }
      if (!response.ok) throw new LivePublishError(`${channel}: HTTP ${response.status} ${text.slice(0, 200)}`);
      const answer = JSON.parse(text || '{}') as PublishAnswer;
      if (answer.failed?.length) throw new LivePublishError(`${channel}: ${answer.failed.map((f) => `${f.code ?? ''} ${f.msg ?? ''}`.trim()).join('; ')}`);
      return 'published';
    },
  };
};
