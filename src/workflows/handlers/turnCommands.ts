/**
 * The workflow's command tasks. Each sends one command as the `system` actor with a command id derived from
 * the turn, so a retried step is a replay, never a second effect; the domain's refusals that only mean "the KJ
 * (or another step) got there first" are normal outcomes, anything else is a typed error.
 */
import type { RotationCommand, RotationRejectionCode } from '../../aggregates/rotation';
import type { CommandOutcome } from '../../eventstore/rotationService';
import type { TurnCommandResult, TurnRef } from '../contract';
import { UnexpectedRejectionError } from '../errors';
import { nextTurnIdAfter, workflowCommandIds } from '../ids';
import { TURN_WORKFLOW_ACTOR } from '../names';
import type { WorkflowDeps } from './deps';

type Body<C extends RotationCommand = RotationCommand> = C extends RotationCommand ? Omit<C, 'actor' | 'at'> : never;

/** Sends a workflow command; maps accepted to `accepted`, expected rejections via `expected`, others throw. */
const run = async (
  { service, now }: WorkflowDeps,
  rotationId: string,
  body: Body,
  commandId: string,
  accepted: (outcome: Extract<CommandOutcome, { kind: 'accepted' }>) => TurnCommandResult,
  expected: Partial<Record<RotationRejectionCode, string>>,
): Promise<TurnCommandResult> => {
  const command = { ...body, actor: TURN_WORKFLOW_ACTOR, at: now() } as RotationCommand;
  const outcome = await service.execute(rotationId, command, commandId);
  if (outcome.kind === 'accepted') return accepted(outcome);
  const as = expected[outcome.rejection.code];
  if (as === undefined) throw new UnexpectedRejectionError(body.type, outcome.rejection);
  return { outcome: as, rejection: outcome.rejection.code, version: outcome.version };
};

/** ForfeitNoShow: the stage wait timed out. */
export const createForfeitNoShowHandler = (deps: WorkflowDeps) => ({ rotationId, turnId }: TurnRef) =>
  run(
    deps,
    rotationId,
    { type: 'ForfeitTurn', turnId },
    workflowCommandIds.forfeitNoShow(turnId),
    ({ version }) => ({ outcome: 'forfeited', version }),
    // Started just now: the performance goes on. Not open / closed: the KJ already ended it.
    { 'turn-already-started': 'started', 'turn-not-open': 'ended', 'rotation-closed': 'ended' },
  );

/** CompleteOverdueTurn: the performance wait timed out (nobody pressed "complete"). */
export const createCompleteOverdueTurnHandler = (deps: WorkflowDeps) => ({ rotationId, turnId }: TurnRef) =>
  run(
    deps,
    rotationId,
    { type: 'CompleteTurn', turnId },
    workflowCommandIds.completeOverdue(turnId),
    ({ version }) => ({ outcome: 'completed', version }),
    { 'turn-not-open': 'ended', 'rotation-closed': 'ended' },
  );

/** CallNextSinger: autoAdvance after turn `turnId` ended. The new turn's id derives from the ended one. */
export const createCallNextSingerHandler = (deps: WorkflowDeps) => ({ rotationId, turnId }: TurnRef) =>
  run(
    deps,
    rotationId,
    { type: 'CallNext', turnId: nextTurnIdAfter(turnId) },
    workflowCommandIds.callNextAfter(turnId),
    ({ version, state }) => ({ outcome: 'called', version, ...(state.currentTurn ? { turnId: state.currentTurn.turnId } : {}) }),
    // Someone already called (the KJ, or a join's advance): fine. Nobody eligible: the rotation idles.
    { 'turn-in-progress': 'already-called', 'no-eligible-singer': 'idle', 'rotation-closed': 'closed' },
  );
