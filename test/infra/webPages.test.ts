/** The pages in AWS: a private bucket only CloudFront reads (origin access control), HTTPS only. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { WebPages } from '../../infra/constructs/webPages';
import { logicalIdOf, referencedId, resourcesOf, synthEngine } from './support';

const { template } = synthEngine();

describe('web pages on S3 + CloudFront', () => {
  it('keeps the bucket private: every public access blocked, TLS only, owner-enforced, encrypted', () => {
    const bucket = logicalIdOf(template, 'AWS::S3::Bucket', 'PagesBucket');
    expect(resourcesOf(template, 'AWS::S3::Bucket')[bucket]!.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    // The pages bucket's own policy (the stack has other buckets, e.g. the audit anchors).
    const [policy, ...others] = Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy')).filter((p) => referencedId(p.Properties.Bucket) === bucket);
    expect(others).toHaveLength(0);
    const statements = policy!.Properties.PolicyDocument.Statement as any[];
    expect(statements.find((s) => s.Effect === 'Deny')).toMatchObject({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    // The only reader: the CloudFront service, for this distribution only (origin access control).
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } });
    expect(JSON.stringify(allows[0].Condition)).toContain(logicalIdOf(template, 'AWS::CloudFront::Distribution', 'PagesDistribution'));
  });

  it('serves through CloudFront with origin access control (no legacy OAI), HTTPS only, security headers', () => {
    const [oac] = Object.values(resourcesOf(template, 'AWS::CloudFront::OriginAccessControl'));
    expect(oac!.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    const [distribution] = Object.values(resourcesOf(template, 'AWS::CloudFront::Distribution'));
    const config = distribution!.Properties.DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toBe('67f7725c-6f97-4210-82d7-5512b31e9d03'); // SecurityHeadersPolicy
    expect(config.Origins[0].OriginAccessControlId).toBeDefined();
    expect(Object.keys(template.toJSON().Outputs)).toContain('PagesUrl');
  });

  it('a real deploy uploads the built pages and invalidates the cache; it refuses to synth without a build', () => {
    const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-'));
    try {
      const stack = new Stack(new App(), 'Pages');
      expect(() => new WebPages(stack, 'Pages', { upload: true, webDir })).toThrow(/npm run build:web/);
      fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html>');
      const built = new Stack(new App(), 'Built');
      new WebPages(built, 'Pages', { upload: true, webDir });
      const t = Template.fromStack(built);
      t.hasResourceProperties('Custom::CDKBucketDeployment', { DistributionPaths: ['/*'] });
    } finally {
      fs.rmSync(webDir, { recursive: true, force: true });
    }
  });
});
