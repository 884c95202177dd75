/**
 * Where closed rotations' heads are anchored (src/eventstore/anchors.ts): an S3 bucket with Object Lock in
 * compliance mode, so an anchor cannot be overwritten or deleted during its retention by anyone, including
 * whoever can write the event table. Always retained: a locked bucket cannot be emptied anyway.
 */
import { Duration, RemovalPolicy, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ANCHORS_BUCKET } from '../../src/eventstore/anchors';

export class AnchorBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(ANCHORS_BUCKET.retentionDays)),
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Writes new anchors only: PutObject under the anchors prefix, never delete or change retention. */
  grantWrite(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:PutObject'], resourceArns: [this.bucket.arnForObjects(`${ANCHORS_BUCKET.keyPrefix}*`)] }).assertSuccess();
  }
}
