/** Lambda entry: the events table's DynamoDB stream → EventBridge (bus named by EVENT_BUS_NAME). */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { eventBusName } from './constants';
import { createEventBridgePublisher } from './publisher';
import { createStreamPublisher } from './streamPublisher';

export const handler = createStreamPublisher({
  publisher: createEventBridgePublisher({ client: new EventBridgeClient({}), eventBusName: eventBusName(process.env) }),
});
