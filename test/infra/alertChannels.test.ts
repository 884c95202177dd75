import { FUNCTIONS } from '../../infra/functions';
import { logicalIdOf, resourcesOf, statementsOfFunction, synthEngine } from './support';

const withDomain = synthEngine({ emailIdentity: 'karaoke.example.com' }).template;
const withAddress = synthEngine({ stage: 'qa', emailIdentity: 'kj.alerts@example.org' }).template;
const withoutEmail = synthEngine().template;

const fnId = (template: typeof withDomain, id: string) => logicalIdOf(template, 'AWS::Lambda::Function', `Functions${id}`);
const envOf = (template: typeof withDomain, id: string) =>
  resourcesOf(template, 'AWS::Lambda::Function')[fnId(template, id)]!.Properties.Environment.Variables as Record<string, unknown>;
const sesStatements = (template: typeof withDomain, id: string) =>
  statementsOfFunction(template, fnId(template, id)).filter((s) => s.actions.some((a) => a.startsWith('ses:')));

describe('email alerts through SES', () => {
  it('a domain identity (DKIM-signed) whose default configuration set suppresses bounces, requires TLS and drops late mail', () => {
    const identities = Object.values(resourcesOf(withDomain, 'AWS::SES::EmailIdentity'));
    expect(identities).toHaveLength(1);
    expect(identities[0]!.Properties).toMatchObject({
      EmailIdentity: 'karaoke.example.com',
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: logicalIdOf(withDomain, 'AWS::SES::ConfigurationSet', 'TurnAlertsEmailConfigurationSet') } },
    });
    withDomain.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: 'karaoke-alerts-dev',
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      ReputationOptions: { ReputationMetricsEnabled: true },
      DeliveryOptions: { TlsPolicy: 'REQUIRE', MaxDeliverySeconds: 300 },
    });
    // The DKIM records to publish for the domain are stack outputs.
    expect(Object.keys(withDomain.findOutputs('*')).filter((k) => k.startsWith('EmailDkimRecord')).sort()).toEqual(['EmailDkimRecord1', 'EmailDkimRecord2', 'EmailDkimRecord3']);
  });

  it('only the alert task may send email: ses:SendEmail alone, on this identity and configuration set, from the one sender', () => {
    const identity = logicalIdOf(withDomain, 'AWS::SES::EmailIdentity', 'TurnAlertsEmailIdentity');
    const configurationSet = logicalIdOf(withDomain, 'AWS::SES::ConfigurationSet', 'TurnAlertsEmailConfigurationSet');
    for (const f of FUNCTIONS) if (f.id !== 'AlertSingers') expect({ id: f.id, ses: sesStatements(withDomain, f.id) }).toEqual({ id: f.id, ses: [] });

    const [statement, ...more] = sesStatements(withDomain, 'AlertSingers');
    expect(more).toEqual([]);
    expect(statement!.actions).toEqual(['ses:SendEmail']);
    expect(statement!.resources).toEqual([
      `arn:AWS::Partition:ses:AWS::Region:AWS::AccountId:identity/${identity}`,
      `arn:AWS::Partition:ses:AWS::Region:AWS::AccountId:configuration-set/${configurationSet}`,
    ]);
    expect(statement!.condition).toEqual({ StringEquals: { 'ses:FromAddress': 'alerts@karaoke.example.com' } });
    expect(envOf(withDomain, 'AlertSingers')).toMatchObject({ ALERTS_EMAIL_FROM: 'alerts@karaoke.example.com', SES_CONFIGURATION_SET: { Ref: configurationSet } });
  });

  it('an address identity is its own sender, in a configuration set named for the stage', () => {
    withAddress.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'kj.alerts@example.org' });
    withAddress.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'karaoke-alerts-qa' });
    expect(envOf(withAddress, 'AlertSingers')).toMatchObject({ ALERTS_EMAIL_FROM: 'kj.alerts@example.org' });
    expect(sesStatements(withAddress, 'AlertSingers')[0]!.condition).toEqual({ StringEquals: { 'ses:FromAddress': 'kj.alerts@example.org' } });
    expect(Object.keys(withAddress.findOutputs('*')).filter((k) => k.startsWith('EmailDkim'))).toEqual([]);
  });

  it('without an identity: no SES resources, no email right, no sender; SMS still allowed', () => {
    expect(resourcesOf(withoutEmail, 'AWS::SES::EmailIdentity')).toEqual({});
    expect(resourcesOf(withoutEmail, 'AWS::SES::ConfigurationSet')).toEqual({});
    for (const f of FUNCTIONS) expect(sesStatements(withoutEmail, f.id)).toEqual([]);
    expect(envOf(withoutEmail, 'AlertSingers')).not.toHaveProperty('ALERTS_EMAIL_FROM');
    const sms = statementsOfFunction(withoutEmail, fnId(withoutEmail, 'AlertSingers')).filter((s) => s.actions.includes('sns:Publish'));
    expect(sms.map((s) => s.notResources)).toEqual([['arn:AWS::Partition:sns:*:*:*']]);
  });

  it('with email, alarms on the account reputation SES pauses sending for; without, none', () => {
    withDomain.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/SES', MetricName: 'Reputation.BounceRate', Threshold: 0.05, Statistic: 'Maximum' });
    withDomain.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/SES', MetricName: 'Reputation.ComplaintRate', Threshold: 0.001 });
    expect(Object.values(resourcesOf(withoutEmail, 'AWS::CloudWatch::Alarm')).filter((a) => a.Properties.Namespace === 'AWS/SES')).toEqual([]);
  });

  it('no SNS topic carries alerts any more: the only topic is the ops alarm topic', () => {
    for (const template of [withDomain, withoutEmail]) {
      expect(Object.keys(resourcesOf(template, 'AWS::SNS::Topic'))).toEqual([logicalIdOf(template, 'AWS::SNS::Topic', 'MonitoringAlarmTopic')]);
      expect(resourcesOf(template, 'AWS::SNS::Subscription')).toEqual({});
    }
  });
});
