/**
 * Anchors in AWS: one object per anchored head in a bucket with Object Lock (see infra), so once written an
 * anchor cannot be overwritten or deleted during its retention, even by whoever can write the event table.
 * The key names the head (`anchors/<streamId>/<version>-<hash>.json`), so listing is enough to check them.
 */
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ANCHORS_BUCKET, HASH_PATTERN, type Anchor, type AnchorStore } from './anchors';

const prefixOf = (streamId: string) => `${ANCHORS_BUCKET.keyPrefix}${encodeURIComponent(streamId)}/`;
export const anchorKey = (a: Pick<Anchor, 'streamId' | 'version' | 'hash'>) => `${prefixOf(a.streamId)}${String(a.version).padStart(9, '0')}-${a.hash}.json`;

export const createS3AnchorStore = ({ s3, bucket }: { s3: Pick<S3Client, 'send'>; bucket: string }): AnchorStore => ({
  async record(anchor) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: anchorKey(anchor),
        Body: JSON.stringify({ streamId: anchor.streamId, version: anchor.version, hash: anchor.hash, anchoredAt: anchor.anchoredAt }),
        ContentType: 'application/json',
        // Object Lock buckets need an integrity checksum on every write.
        ChecksumAlgorithm: 'SHA256',
        // Writing the same head twice is a no-op; a locked object is never replaced.
        IfNoneMatch: '*',
      }),
    ).catch((err: unknown) => {
      if ((err as { name?: string }).name === 'PreconditionFailed') return;
      throw err;
    });
  },
  async list(streamId) {
    const anchors: Anchor[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefixOf(streamId), ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const m = /\/(\d{9})-([0-9a-f]{64})\.json$/.exec(object.Key ?? '');
        if (!m || !HASH_PATTERN.test(m[2]!)) continue;
        anchors.push({ streamId, version: Number(m[1]), hash: m[2]!, anchoredAt: object.LastModified?.toISOString() ?? '' });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return anchors;
  },
});
