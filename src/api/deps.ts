import type { Logger } from '@aws-lambda-powertools/logger';
import type { IdempotencyGuard } from './http/idempotency';
import type { ClaimsSource } from './http/principal';
import type { ContactBook, HistoryReader, QueueViewReader } from './readModels';
import type { RotationService } from './rotationService';

/** Everything the API needs, as ports: AWS and the local runtime each pass their adapters. */
export interface ApiDeps {
  readonly service: RotationService;
  readonly queue: QueueViewReader;
  readonly history: HistoryReader;
  readonly contacts: ContactBook;
  readonly idempotency: IdempotencyGuard;
  readonly claims: ClaimsSource;
  readonly logger: Logger;
  readonly now: () => string;
  readonly newId: () => string;
}
