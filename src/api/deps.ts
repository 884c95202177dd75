import type { Logger } from '@aws-lambda-powertools/logger';
import type { AnchorStore } from '../eventstore/anchors';
import type { IdempotencyGuard } from './http/idempotency';
import type { ClaimsSource } from './http/principal';
import type { ContactRegistry } from '../notifiers/contactRegistry';
import type { JoinCodes } from './joinCodes';
import type { PageConfig } from './pageConfig';
import type { HistoryReader, QueueViewReader } from '../projections/readModels';
import type { RotationService } from '../eventstore/rotationService';
import type { Songbooks } from '../songbook/songbooks';

/** Everything the API needs, as ports: AWS and the local runtime each pass their adapters. */
export interface ApiDeps {
  readonly service: RotationService;
  readonly queue: QueueViewReader;
  readonly history: HistoryReader;
  /** Contacts live outside the event log, so they can be erased. */
  readonly contacts: Pick<ContactRegistry, 'save'>;
  readonly idempotency: IdempotencyGuard;
  /** Where a closing rotation's head is anchored, outside the event table (rotation audit --verify checks it). */
  readonly anchors?: Pick<AnchorStore, 'record'>;
  readonly claims: ClaimsSource;
  readonly logger: Logger;
  readonly now: () => string;
  readonly newId: () => string;
  /** KJs' songbooks, each kept loaded as a search index (src/songbook). */
  readonly songbooks: Songbooks;
  /** The most an upload (a songbook file) may be here: AWS's request limits are below the API's own. */
  readonly maxUploadBytes?: number;
  /** `GET /config`: how the pages sign in here; given the origin the request came to (the API's, in AWS). */
  readonly pageConfig: (requestOrigin: string) => PageConfig;
  /** The short codes phones join open rotations by (API.md "Joining by code"). */
  readonly joinCodes: JoinCodes;
}
