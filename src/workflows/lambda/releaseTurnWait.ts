/** Lambda entry, target of the release-turn-wait rules (TURN_STARTED_PATTERN, TURN_ENDED_PATTERN). */
import type { EventBridgeEnvelope } from '../../eventbus/localBus';
import { createReleaseTurnWaitHandler } from '../handlers/releaseTurnWait';
import { taskCallbacks, taskTokens } from './awsDeps';

export const handler = (event: EventBridgeEnvelope) =>
  createReleaseTurnWaitHandler({ tokens: taskTokens(), callbacks: taskCallbacks() })(event);
