/** The workflow handlers' AWS adapters, from the environment the CDK app sets; each built on first use. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { createRotationService } from '../../eventstore/rotationService';
import { createDynamoEventStore } from '../../eventstore/dynamoEventStore';
import { documentClient } from '../../eventstore/dynamo';
import { createOpenTurnIndex } from '../../projections/openTurnIndex';
import { tableNames } from '../../eventstore/tables';
import { createDynamoContactStore } from '../../notifiers/contacts';
import { createDynamoAlertLedger } from '../../notifiers/dedupe';
import { AT_MOST_ONCE_CLIENT_CONFIG } from '../../notifiers/atMostOnce';
import { createAwsNotifier } from '../../notifiers/awsNotifier';
import { createSesEmailSender, sesEmailSettingsFrom } from '../../notifiers/sesEmail';
import { createSnsSmsSender } from '../../notifiers/snsSms';
import { createDynamoTaskTokenStore } from '../adapters/dynamoTaskTokens';
import { createSfnTaskCallbacks } from '../adapters/sfnCallbacks';
import { createSfnTurnExecutions } from '../adapters/sfnExecutions';
import { createSfnTurnStarter } from '../adapters/sfnStarter';
import { WorkflowConfigError } from '../errors';
import type { WorkflowDeps } from '../handlers/deps';
import { TURN_STATE_MACHINE_ARN_ENV } from '../names';

const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};

const env = process.env;
const names = tableNames({ env });
const dynamo = once(() => new DynamoDBClient({}));
const sfn = once(() => new SFNClient({}));

export const workflowDeps = once(
  (): WorkflowDeps => ({
    service: createRotationService({ store: eventStore() }),
    now: () => new Date().toISOString(),
  }),
);

export const taskTokens = once(() => createDynamoTaskTokenStore({ client: dynamo(), tableName: names.taskTokens }));
export const taskCallbacks = once(() => createSfnTaskCallbacks({ sfn: sfn() }));

const stateMachineArn = (): string => {
  const arn = env[TURN_STATE_MACHINE_ARN_ENV];
  if (!arn) throw new WorkflowConfigError(TURN_STATE_MACHINE_ARN_ENV);
  return arn;
};

export const turnStarter = once(() => createSfnTurnStarter({ sfn: sfn(), stateMachineArn: stateMachineArn() }));
export const turnExecutions = once(() => createSfnTurnExecutions({ sfn: sfn(), stateMachineArn: stateMachineArn() }));
export const eventStore = once(() => createDynamoEventStore({ client: dynamo(), tableName: names.events }));
export const openTurnIndex = once(() => createOpenTurnIndex(documentClient(dynamo()), names.queueView));

export const awsNotifier = once(() =>
  createAwsNotifier({
    contacts: createDynamoContactStore({ client: dynamo(), tableName: names.contacts }),
    ledger: createDynamoAlertLedger({ client: dynamo(), tableName: names.alerts }),
    senders: {
      sms: createSnsSmsSender({ sns: new SNSClient(AT_MOST_ONCE_CLIENT_CONFIG) }),
      email: createSesEmailSender({ ses: new SESv2Client(AT_MOST_ONCE_CLIENT_CONFIG), settings: () => sesEmailSettingsFrom(env) }),
    },
  }),
);
