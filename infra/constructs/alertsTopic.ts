/**
 * The SNS side of turn alerts: one topic for email (each singer's subscription filters on `singerId`, see
 * src/notifiers/snsNotifier.ts), and SMS straight to phone numbers.
 */
import { Aws, aws_iam as iam, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export class AlertsTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Karaoke turn alerts', enforceSSL: true });
  }

  /** Email alerts: publish to this topic only. */
  grantPublish(grantee: iam.IGrantable): void {
    this.topic.grantPublish(grantee);
  }

  /**
   * Saving a contact subscribes the singer's email (filtered to them) and removes an old subscription.
   * Unsubscribe is authorized on the subscription's ARN, which is `<topicArn>:<id>`, so `<topicArn>:*` covers
   * this topic's subscriptions and nothing else.
   */
  grantManageEmailSubscriptions(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['sns:Subscribe'], resourceArns: [this.topic.topicArn] });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['sns:Unsubscribe'],
      resourceArns: [this.topic.topicArn, `${this.topic.topicArn}:*`],
    });
  }

  /**
   * SMS: Publish with a PhoneNumber has no resource ARN, so IAM cannot name it. Instead of `Resource: '*'`
   * the statement uses `NotResource: arn:<partition>:sns:*:*:*`: it allows publishing to anything that is NOT an
   * SNS topic or endpoint ARN — i.e. phone numbers only — and only in this stack's region.
   */
  static grantSendSms(grantee: iam.IGrantable): void {
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
