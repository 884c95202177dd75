import { createApp } from '../../src/api/http/app';
import type { ApiDeps } from '../../src/api/deps';
import { AWS_MAX_UPLOAD_BYTES } from '../../src/api/awsDeps';
import { songbookRoutes } from '../../src/api/routes/songbookRoutes';
import { SONGBOOK_MAX_FILE_BYTES } from '../../src/songbook/limits';

/**
 * A songbook file may be 20 MB on one machine, but in AWS a request carries at most about 6 MB (Lambda's payload
 * limit): there the API refuses a larger file itself, with a 413 that says how large it may be. The size is
 * counted while the body streams in, before anyone is asked who is calling.
 */
const appWith = (maxUploadBytes?: number) =>
  createApp({ logger: { info() {}, warn() {}, error() {} }, claims: async () => null, ...(maxUploadBytes ? { maxUploadBytes } : {}) } as unknown as ApiDeps, songbookRoutes);

const put = (app: ReturnType<typeof appWith>, bytes: number) =>
  app.request('/songbook', { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: `title,artist\n${'x'.repeat(bytes)}` });

it('refuses a songbook file over this deployment’s limit with 413, saying the limit', async () => {
  expect(AWS_MAX_UPLOAD_BYTES).toBeLessThan(6 * 1024 * 1024);
  const aws = await put(appWith(AWS_MAX_UPLOAD_BYTES), AWS_MAX_UPLOAD_BYTES);
  expect(aws.status).toBe(413);
  expect(aws.headers.get('connection')).toBe('close');
  expect(await aws.json()).toEqual({ error: { code: 'payload-too-large', message: 'The request body is larger than 5.5 MB.' } });
  // The same file on one machine passes the size check (and then needs a sign-in).
  expect((await put(appWith(), AWS_MAX_UPLOAD_BYTES)).status).toBe(401);
  expect((await put(appWith(), SONGBOOK_MAX_FILE_BYTES)).status).toBe(413);
});
