/**
 * The event-bus rules of the turn workflow, built from the shared pattern constants: the CDK app creates one
 * EventBridge rule per entry (target: the Lambda named by `target`), the local runtime adds the same rules to
 * the in-process bus with the same handler functions as targets.
 */
import {
  ROTATION_MAY_ADVANCE_PATTERN,
  TURN_CALLED_PATTERN,
  TURN_ENDED_PATTERN,
  TURN_STARTED_PATTERN,
} from '../eventbus/constants';
import type { EventPattern } from '../eventbus/matcher';

/** Bus-target handlers (each a named export of src/workflows/lambda/handlers.ts). */
export type TurnRuleTarget = 'startTurnWorkflow' | 'releaseTurnWait' | 'advanceIdleRotation';

export interface TurnRule {
  readonly name: string;
  readonly description: string;
  readonly pattern: EventPattern;
  readonly target: TurnRuleTarget;
}

export const TURN_WORKFLOW_RULES: readonly TurnRule[] = [
  {
    name: 'start-turn-workflow',
    description: 'A turn was called: start its workflow (execution named by the turn id).',
    pattern: TURN_CALLED_PATTERN,
    target: 'startTurnWorkflow',
  },
  {
    name: 'release-turn-wait-on-start',
    description: 'The singer took the stage: resume the stage wait.',
    pattern: TURN_STARTED_PATTERN,
    target: 'releaseTurnWait',
  },
  {
    name: 'release-turn-wait-on-end',
    description: 'The turn ended (completed, forfeited or skipped): resume the waiting task.',
    pattern: TURN_ENDED_PATTERN,
    target: 'releaseTurnWait',
  },
  {
    name: 'advance-idle-rotation',
    description: 'Someone may have become eligible in an idle rotation: call them if autoAdvance.',
    pattern: ROTATION_MAY_ADVANCE_PATTERN,
    target: 'advanceIdleRotation',
  },
];
