/**
 * The three pages (and the index) in AWS: a private S3 bucket (every public access blocked, TLS only) that only
 * CloudFront may read, through origin access control. HTTPS only, with security headers. The files are the
 * same `npm run build:web` output `npm start` serves (dist/web); the deployment uploads them (BucketDeployment)
 * and invalidates CloudFront's cache.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  Duration,
  RemovalPolicy,
  aws_cloudfront as cloudfront,
  Aws,
  aws_apigatewayv2 as apigw,
  aws_cloudfront_origins as origins,
  aws_s3 as s3,
  aws_s3_deployment as deployment,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DEFAULT_WEB_DIR } from '../../src/local/webPages';

export interface WebPagesProps {
  /** Upload dist/web (real deploys); false leaves the bucket empty (assertion tests, which do not build the pages). */
  readonly upload: boolean;
  readonly webDir?: string;
}

export class WebPages extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, { upload, webDir = DEFAULT_WEB_DIR }: WebPagesProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Only build output lives here: a redeploy puts it back.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: upload,
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Karaoke rotation pages',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      },
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    });
    if (!upload) return;
    if (!fs.existsSync(path.join(webDir, 'index.html'))) {
      throw new Error(`The pages are not built (${webDir}/index.html is missing): run \`npm run build:web\` before synth or deploy.`);
    }
    new deployment.BucketDeployment(this, 'Upload', {
      sources: [deployment.Source.asset(webDir)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      // HTML is small and changes with every deploy; hashed assets are cached by CloudFront's policy.
      cacheControl: [deployment.CacheControl.maxAge(Duration.minutes(5))],
      memoryLimit: 256,
    });
  }

  /**
   * `GET /config` on the pages' own origin, answered by the API: the pages ask it before they know where the API
   * is (its answer says), the same relative request they make to `npm start`. Never cached: it names the stage's
   * live key, which every deploy may renew.
   */
  routeConfigTo(api: apigw.IHttpApi, path: string): void {
    this.distribution.addBehavior(path, new origins.HttpOrigin(`${api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`), {
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    });
  }
}
