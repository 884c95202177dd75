import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DEFAULT_CONFIG, contextThenEnv, readConfig, stageSettings } from '../../infra/config';

const from = (values: Record<string, unknown>) => readConfig((key) => values[key]);

describe('deploy configuration (context, then env)', () => {
  it('defaults to a dev stage that retains the log, bundles real code and keeps a year of archive', () => {
    expect(from({})).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({ stage: 'dev', removalPolicy: 'retain', lambdaCode: 'bundled', archiveRetentionDays: 365 });
  });

  it('prefers context over the environment variable', () => {
    const lookup = contextThenEnv((key) => (key === 'stage' ? 'prod' : undefined), { STAGE: 'qa', ALARM_EMAIL: 'ops@example.com', EMAIL_IDENTITY: 'karaoke.example.com' });
    expect(readConfig(lookup)).toMatchObject({ stage: 'prod', alarmEmail: 'ops@example.com', emailIdentity: 'karaoke.example.com' });
  });

  it.each([
    [{ stage: 'Prod!' }, /stage must match/],
    [{ removalPolicy: 'snapshot' }, /removalPolicy must be one of retain, destroy/],
    [{ lambdaCode: 'docker' }, /lambdaCode must be one of bundled, stub/],
    [{ alarmEmail: 'not-an-email' }, /alarmEmail is not an email address/],
    [{ archiveRetentionDays: '-1' }, /archiveRetentionDays must be a whole number/],
    [{ stage: 'prod', emailIdentity: 'karaoke.example.com' }, /stage prod needs alarmEmail/],
    [{ stage: 'prod', alarmEmail: 'ops@example.com' }, /stage prod needs emailIdentity/],
    [{ emailIdentity: 'not a domain' }, /emailIdentity must be a domain or an email address/],
    [{ emailIdentity: 'localhost' }, /emailIdentity must be a domain or an email address/],
  ])('refuses %j before anything is synthesized', (values, message) => {
    expect(() => from(values)).toThrow(message);
  });

  it('takes a domain or an address as the SES email identity', () => {
    expect(from({ emailIdentity: 'karaoke.example.com' })).toMatchObject({ emailIdentity: 'karaoke.example.com' });
    expect(from({ emailIdentity: 'kj@example.org' })).toMatchObject({ emailIdentity: 'kj@example.org' });
    expect(from({})).not.toHaveProperty('emailIdentity');
  });

  it('reads numbers given as context strings', () => {
    expect(from({ archiveRetentionDays: '0', removalPolicy: 'destroy' })).toMatchObject({ archiveRetentionDays: 0, removalPolicy: 'destroy' });
  });

  it('differs per stage where it should: prod logs less, keeps logs longer, is protected and allows more traffic', () => {
    const prod = stageSettings({ stage: 'prod' });
    const dev = stageSettings({ stage: 'dev' });
    expect(prod).toMatchObject({ logLevel: 'INFO', terminationProtection: true, logRetention: RetentionDays.THREE_MONTHS });
    expect(dev).toMatchObject({ logLevel: 'DEBUG', terminationProtection: false, logRetention: RetentionDays.ONE_WEEK });
    expect(prod.apiThrottle.rateLimit).toBeGreaterThan(dev.apiThrottle.rateLimit);
  });
});
