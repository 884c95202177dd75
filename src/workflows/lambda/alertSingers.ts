/** Lambda entry of task AlertSingers (invoked by Step Functions with the task's Payload). */
import type { AlertSingersRequest } from '../contract';
import { createAlertSingersHandler } from '../handlers/alertSingers';
import { awsNotifier, workflowDeps } from './awsDeps';

export const handler = (request: AlertSingersRequest) =>
  createAlertSingersHandler({ service: workflowDeps().service, notifier: awsNotifier() })(request);
