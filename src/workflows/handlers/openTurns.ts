/**
 * Every turn the log says is open right now, with the commit that called it: what the local engine resumes after
 * a restart (src/local/turnRuntime.ts resumeOpenTurns) and what the AWS reconciler checks against Step Functions
 * (reconcileOpenTurns.ts). The open-turns index names the candidates, so only live rotations are read; each
 * is confirmed on its log, which stays the authority (the index may lag it).
 */
import type { OpenTurn } from '../../aggregates/rotation/types';
import type { OpenTurnIndex } from '../../projections/openTurnIndex';
import type { WorkflowDeps } from './deps';

export interface OpenTurnOnLog {
  readonly rotationId: string;
  readonly turn: OpenTurn;
  /** Version of the commit with the turn's TurnCalled (the start input is decided on the rotation as it was then). */
  readonly calledVersion: number;
  /** The rotation's setting: whether the turn's end calls the next singer. */
  readonly autoAdvance: boolean;
}

export async function* openTurns(service: WorkflowDeps['service'], index: OpenTurnIndex): AsyncGenerator<OpenTurnOnLog> {
  for (const rotationId of await index.rotationsWithOpenTurn()) {
    const log = await service.read(rotationId);
    const turn = log?.state.status === 'open' ? log.state.currentTurn : null;
    if (!log || !turn) continue;
    const called = log.commits.find((c) => c.events.some((e) => e.type === 'TurnCalled' && (e.data as { turnId: string }).turnId === turn.turnId));
    if (called) yield { rotationId, turn, calledVersion: called.version, autoAdvance: log.state.settings.autoAdvance };
  }
}

/** The TurnCalled bus event's shape as the start handler reads it, rebuilt from the log. */
export const turnCalledDetail = ({ rotationId, turn, calledVersion }: OpenTurnOnLog) =>
  ({ detail: { rotationId, version: calledVersion, data: { turnId: turn.turnId, singerId: turn.singerId } } }) as const;
