/**
 * How turn alerts leave AWS: SMS straight to phone numbers through SNS, email through SES from the stage's own
 * identity and configuration set. Email exists only when the stage names an SES identity (`emailIdentity`);
 * without one the alert task has no sender and each email alert is recorded as failed (and alarms).
 */
import { Aws, Duration, Stack, aws_iam as iam, aws_lambda as lambda, aws_ses as ses } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ALERTS_EMAIL_FROM_ENV, SES_CONFIGURATION_SET_ENV } from '../../src/notifiers/sesEmail';

export interface AlertChannelsProps {
  readonly stage: string;
  /** A domain (`karaoke.example.com`, verified through DKIM records) or one address (verified by a link). */
  readonly emailIdentity?: string;
}

/** The From address: the identity itself when it is an address, `alerts@<domain>` when it is a domain. */
export const alertsSenderFor = (emailIdentity: string): string => (emailIdentity.includes('@') ? emailIdentity : `alerts@${emailIdentity}`);

export interface AlertEmail {
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
  readonly from: string;
}

export class AlertChannels extends Construct {
  readonly email?: AlertEmail;

  constructor(scope: Construct, id: string, props: AlertChannelsProps) {
    super(scope, id);
    if (!props.emailIdentity) return;
    const configurationSet = new ses.ConfigurationSet(this, 'EmailConfigurationSet', {
      configurationSetName: `karaoke-alerts-${props.stage}`,
      // Addresses that bounced or complained are not mailed again (the account-level suppression list).
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      // A turn alert that arrives later than this is worse than none ("you're up" after the turn was forfeited).
      maxDeliveryDuration: Duration.minutes(5),
    });
    const identity = new ses.EmailIdentity(this, 'EmailIdentity', {
      identity: props.emailIdentity.includes('@') ? ses.Identity.email(props.emailIdentity) : ses.Identity.domain(props.emailIdentity),
      configurationSet,
    });
    this.email = { identity, configurationSet, from: alertsSenderFor(props.emailIdentity) };
  }

  /** SMS and (when configured) email, with the env the notifier reads (src/notifiers/sesEmail.ts). */
  grantSend(fn: lambda.Function): void {
    AlertChannels.grantSendSms(fn);
    if (!this.email) return;
    const { identity, configurationSet, from } = this.email;
    // SendEmail only (no raw MIME, no templates, no bulk), from this one address, through this identity and
    // configuration set: SES authorizes SendEmail on both ARNs.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SendAlertEmailFromStageIdentity',
        actions: ['ses:SendEmail'],
        resources: [
          identity.emailIdentityArn,
          Stack.of(this).formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSet.configurationSetName }),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': from } },
      }),
    );
    fn.addEnvironment(ALERTS_EMAIL_FROM_ENV, from);
    fn.addEnvironment(SES_CONFIGURATION_SET_ENV, configurationSet.configurationSetName);
  }

  /**
   * SMS: Publish with a PhoneNumber has no resource ARN, so IAM cannot name it. Instead of `Resource: '*'`
   * the statement uses `NotResource: arn:<partition>:sns:*:*:*`: it allows publishing to anything that is NOT an
   * SNS topic or endpoint ARN — i.e. phone numbers only — and only in this stack's region.
   */
  private static grantSendSms(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendSmsToPhoneNumbersOnly',
        actions: ['sns:Publish'],
        notResources: [`arn:${Aws.PARTITION}:sns:*:*:*`],
        conditions: { StringEquals: { 'aws:RequestedRegion': Aws.REGION } },
      }),
    );
  }
}
