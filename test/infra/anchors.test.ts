import { ANCHORS_BUCKET } from '../../src/eventstore/anchors';
import { FUNCTIONS } from '../../infra/functions';
import { logicalIdOf, resourcesOf, statementsOfFunction, synthEngine } from './support';

const { template } = synthEngine({ removalPolicy: 'destroy' });
const bucketId = logicalIdOf(template, 'AWS::S3::Bucket', 'AnchorsBucket');
const bucket = resourcesOf(template, 'AWS::S3::Bucket')[bucketId]!;
const functionId = (id: string) => logicalIdOf(template, 'AWS::Lambda::Function', `Functions${id}`);

describe('anchor bucket', () => {
  it('locks every anchor in compliance mode for the shared retention, versioned, private, TLS only', () => {
    expect(bucket.Properties.ObjectLockEnabled).toBe(true);
    expect(bucket.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: ANCHORS_BUCKET.retentionDays } },
    });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    const policies = Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy'));
    const denyInsecure = policies.flatMap((p) => p.Properties.PolicyDocument.Statement).find((s: any) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
    expect(denyInsecure).toBeDefined();
  });

  it('is kept even when the stage destroys its other data (a locked bucket cannot be emptied)', () => {
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
  });

  it('only the functions that anchor may write, PutObject under the anchors prefix and nothing else, and they get the name', () => {
    for (const spec of FUNCTIONS) {
      const id = functionId(spec.id);
      const s3 = statementsOfFunction(template, id).filter((s) => s.actions.some((a) => a.startsWith('s3:')));
      const env = resourcesOf(template, 'AWS::Lambda::Function')[id]!.Properties.Environment?.Variables ?? {};
      if (!spec.writesAnchors) {
        expect(s3).toEqual([]);
        expect(env[ANCHORS_BUCKET.envVar]).toBeUndefined();
        continue;
      }
      expect(s3.flatMap((s) => s.actions)).toEqual(['s3:PutObject']);
      expect(JSON.stringify(s3.flatMap((s) => s.resources))).toContain(`/${ANCHORS_BUCKET.keyPrefix}*`);
      expect(env[ANCHORS_BUCKET.envVar]).toEqual({ Ref: bucketId });
    }
    expect(FUNCTIONS.filter((f) => f.writesAnchors).map((f) => f.id)).toEqual(['Api']);
  });
});
