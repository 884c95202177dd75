/**
 * DynamoDB helpers every table adapter shares: what counts as "unavailable" (retry later) and an item's size
 * as DynamoDB limits it.
 */

const UNAVAILABLE = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);

const NETWORK = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up)\b/

/** Throttling, 5xx and network failures: worth retrying later, unlike a bad request. */
export const isUnavailable = (err: unknown): boolean => {
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return (
    UNAVAILABLE.has(e.name ?? '') ||
    (status !== undefined && status >= 500) ||
    // The SDK may re-wrap a socket error as a plain "AWS SDK error wrapper for …" message, losing its code.
    NETWORK.test(`${e.code ?? ''} ${e.message ?? ''}`)
  );
};

/** A conditional write lost: the condition (usually "not there yet") did not hold. */
export const isConditionFailed = (err: unknown): boolean => (err as Error | undefined)?.name === 'ConditionalCheckFailedException';

/** A Query or Scan named an index the table does not have (a table made before the index was added). */
export const isMissingIndex = (err: unknown): boolean =>
  (err as Error | undefined)?.name === 'ValidationException' && /specified index/i.test((err as Error).message);

/** DynamoDB's item limit, counted as DynamoDB counts it (attribute names + values). */
export const MAX_ITEM_BYTES = 400 * 1024;

/**
 * Item size as DynamoDB bills and limits it: UTF-8 attribute names plus values, maps and lists 3 bytes plus
 * 1 per element. Numbers are over-estimated slightly; this errs on refusing, never on a failed write.
 */
export const itemSizeBytes = (item: object): number => {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) size += Buffer.byteLength(name, 'utf8') + valueSizeBytes(value);
  }
  return size;
};

const valueSizeBytes = (value: unknown): number => {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint') {
    const digits = String(value).replace(/e.*$/i, '').replace(/\D/g, '').replace(/^0+/, '').length;
    return Math.ceil(Math.max(digits, 1) / 2) + 3;
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value) || value instanceof Set) {
    let size = 3;
    for (const element of value) if (element !== undefined) size += 1 + valueSizeBytes(element);
    return size;
  }
  if (typeof value === 'object') return 3 + Object.keys(value).length + itemSizeBytes(value);
  throw new TypeError(`Cannot store a ${typeof value} in DynamoDB`);
};
