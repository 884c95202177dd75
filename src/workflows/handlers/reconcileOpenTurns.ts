/**
 * The AWS twin of the local engine's resumeOpenTurns, run on a schedule: every turn the log says is open must
 * have a running execution, or nothing will ever alert, forfeit or complete it. For each open turn:
 * - no execution (a TurnCalled the publisher or the start target gave up on): start it, exactly as the
 *   TurnCalled rule would (same name, same input);
 * - execution ended while the turn is still open (failed, aborted, timed out): end the turn as the workflow
 *   would have — a turn still only called is forfeited as a no-show, a performance is completed — and then, with
 *   autoAdvance, call the next singer as its CallNextSinger would (nothing else does: a turn's end is not a bus
 *   event that advances an idle rotation), all with the same system commands and command ids, so a workflow step
 *   that did run is not repeated;
 * - running: nothing to do.
 */
import type { OpenTurnIndex } from '../../projections/openTurnIndex';
import type { TurnCommandResult } from '../contract';
import { executionNameFor } from '../ids';
import type { StartResult, TurnExecutions } from '../ports';
import type { WorkflowDeps } from './deps';
import { openTurns, turnCalledDetail } from './openTurns';
import type { StartTurnResult } from './startTurnWorkflow';
import { createCallNextSingerHandler, createCompleteOverdueTurnHandler, createForfeitNoShowHandler } from './turnCommands';

/** What ending a turn can come to; `started` (the singer took the stage just then) leaves it open. */
const TURN_ENDED = new Set(['forfeited', 'completed', 'ended']);

export interface ReconcileReport {
  readonly openTurns: number;
  readonly running: number;
  readonly started: readonly { rotationId: string; turnId: string; result: StartResult }[];
  /** `next`: what calling the next singer came to (autoAdvance rotations only). */
  readonly ended: readonly { rotationId: string; turnId: string; outcome: string; next?: string }[];
}

export interface ReconcileDeps extends WorkflowDeps {
  readonly openTurns: OpenTurnIndex;
  readonly executions: TurnExecutions;
  /** The TurnCalled target's handler (startTurnWorkflow.ts), so a start here is the start the rule would make. */
  readonly startTurn: (event: ReturnType<typeof turnCalledDetail>) => Promise<StartTurnResult>;
}

export const createReconcileOpenTurnsHandler = (deps: ReconcileDeps) => {
  const forfeit = createForfeitNoShowHandler(deps);
  const complete = createCompleteOverdueTurnHandler(deps);
  const callNext = createCallNextSingerHandler(deps);
  return async (): Promise<ReconcileReport> => {
    let count = 0;
    let running = 0;
    const started: ReconcileReport['started'][number][] = [];
    const ended: ReconcileReport['ended'][number][] = [];
    for await (const open of openTurns(deps.service, deps.openTurns)) {
      count += 1;
      const { rotationId, turn } = open;
      const status = await deps.executions.status(executionNameFor(turn.turnId));
      if (status === 'running') {
        running += 1;
      } else if (status === 'missing') {
        const { result } = await deps.startTurn(turnCalledDetail(open));
        started.push({ rotationId, turnId: turn.turnId, result });
      } else {
        const ref = { rotationId, turnId: turn.turnId };
        const result: TurnCommandResult = turn.startedAt === null ? await forfeit(ref) : await complete(ref);
        const next = open.autoAdvance && TURN_ENDED.has(result.outcome) ? (await callNext(ref)).outcome : undefined;
        ended.push({ ...ref, outcome: result.outcome, ...(next === undefined ? {} : { next }) });
      }
    }
    return { openTurns: count, running, started, ended };
  };
};
