/**
 * Bus target of ROTATION_MAY_ADVANCE_PATTERN: a join, a queued song or a return may make someone eligible in
 * a rotation that went idle (its last turn ended with nobody to call). With autoAdvance, call them.
 *
 * The KJ starts the night: before the first call of the night nothing is called automatically. A call racing
 * the turn workflow's own CallNextSinger (or the KJ's) is refused by the domain with turn-in-progress: fine.
 */
import { findNextCall, type RotationState } from '../../aggregates/rotation';
import type { EventBridgeEnvelope } from '../../eventbus/busEvent';
import type { TurnCommandResult } from '../contract';
import { UnexpectedRejectionError } from '../errors';
import { turnIdOnAdvance, workflowCommandIds } from '../ids';
import { TURN_WORKFLOW_ACTOR } from '../names';
import type { WorkflowDeps } from './deps';

export type AdvanceResult = TurnCommandResult | { readonly outcome: 'not-idle' | 'not-started' | 'no-auto-advance' | 'nobody-eligible' | 'no-rotation' };

const whyNot = (state: RotationState): Exclude<AdvanceResult, TurnCommandResult>['outcome'] | null => {
  if (state.status !== 'open' || !state.settings.autoAdvance) return 'no-auto-advance';
  if (state.currentTurn) return 'not-idle';
  if (Object.keys(state.calledTonight).length === 0) return 'not-started';
  if (!findNextCall(state)) return 'nobody-eligible';
  return null;
};

export const createAdvanceIdleRotationHandler =
  ({ service, now }: WorkflowDeps) =>
  async (event: Pick<EventBridgeEnvelope, 'detail'>): Promise<AdvanceResult> => {
    const { rotationId, seq } = event.detail;
    // Settings never change once the rotation is open: a held state that says "no auto-advance" needs no read.
    const held = service.held?.(rotationId);
    if (held && held.status !== 'none' && !held.settings.autoAdvance) return { outcome: 'no-auto-advance' };
    const log = await service.read(rotationId);
    if (!log) return { outcome: 'no-rotation' };
    const reason = whyNot(log.state);
    if (reason) return { outcome: reason };
    const turnId = turnIdOnAdvance(rotationId, seq);
    const outcome = await service.execute(rotationId, { type: 'CallNext', turnId, actor: TURN_WORKFLOW_ACTOR, at: now() }, workflowCommandIds.advanceOn(rotationId, seq));
    if (outcome.kind === 'accepted') return { outcome: 'called', version: outcome.version, turnId };
    const code = outcome.rejection.code;
    if (code === 'turn-in-progress' || code === 'no-eligible-singer' || code === 'rotation-closed') {
      return { outcome: 'not-called', rejection: code, version: outcome.version };
    }
    throw new UnexpectedRejectionError('CallNext', outcome.rejection);
  };
