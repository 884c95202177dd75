import type { RotationCommand } from '../../aggregates/rotation';
import { nameBasedUuid } from '../../workflows/ids';
import { rejectionError } from '../http/errors';
import type { RouteRequest } from '../http/route';
import type { CommandOutcome, RotationService } from '../../eventstore/rotationService';

/** A command as a route builds it: the caller and the time are added by runCommand. */
export type CommandBody = RotationCommand extends infer C ? (C extends unknown ? Omit<C, 'actor' | 'at'> : never) : never;

/** Runs a command as the caller, now; a domain rejection becomes its HTTP error. */
export const runCommand = async (
  service: RotationService,
  request: RouteRequest,
  rotationId: string,
  body: CommandBody,
): Promise<Extract<CommandOutcome, { kind: 'accepted' }>> => {
  const { principal, now, commandId } = request;
  const command = { ...body, actor: { id: principal.sub, role: principal.role }, at: now } as RotationCommand;
  request.annotate({ rotationId, command: command.type });
  const outcome = await service.execute(rotationId, command, commandId);
  request.annotate({ outcome: outcome.kind === 'accepted' ? (outcome.replayed ? 'replayed' : 'accepted') : outcome.rejection.code });
  if (outcome.kind === 'rejected') throw rejectionError(outcome.rejection);
  return outcome;
};

/** What every command answer carries: the version it made (or saw) and that commit's hash, the head to note. */
export const committed = ({ version, headHash }: Pick<CommandOutcome & { kind: 'accepted' }, 'version' | 'headHash'>) => ({ version, headHash });

/**
 * The id of what a command creates (a rotation, a song, a turn), named by the command id: a retried command
 * (the same Idempotency-Key) names the very same thing even when its idempotency record is gone, so a retry
 * after a crash finds its own commit instead of opening a second rotation or answering an id not in the log.
 */
export const idFromCommand = ({ commandId }: Pick<RouteRequest, 'commandId'>, what: 'rotation' | 'song' | 'turn' | 'walkup'): string =>
  nameBasedUuid(`${what}:${commandId}`);
