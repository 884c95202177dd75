/** Lambda entry, target of the `advance-idle-rotation` rule (ROTATION_MAY_ADVANCE_PATTERN). */
import type { EventBridgeEnvelope } from '../../eventbus/localBus';
import { createAdvanceIdleRotationHandler } from '../handlers/advanceIdleRotation';
import { workflowDeps } from './awsDeps';

export const handler = (event: EventBridgeEnvelope) => createAdvanceIdleRotationHandler(workflowDeps())(event);
