import { SINGER_SELF_COMMANDS, SYSTEM_COMMANDS, type RotationCommand } from './commands';
import { rotationRejection, type RotationRejection } from './rejections';
import type { RotationState } from './types';

/**
 * Who may do what (API.md): the KJ who opened the rotation may do everything on it; a singer acts only on
 * their own singerId; the workflow only drives turns. One rule for every transport that issues commands.
 */
export const authorize = (command: RotationCommand, state: RotationState): RotationRejection | null => {
  const { actor } = command;
  if (command.type === 'OpenRotation') {
    return actor.role === 'kj' ? null : rotationRejection('forbidden', 'Only a KJ can open a rotation.');
  }
  switch (actor.role) {
    case 'kj':
      return actor.id === state.kjId
        ? null
        : rotationRejection('forbidden', 'Only the KJ who opened this rotation can change it.');
    case 'system':
      return SYSTEM_COMMANDS.has(command.type)
        ? null
        : rotationRejection('forbidden', 'The turn workflow can only call, start, complete or forfeit turns.');
    case 'singer': {
      if (!SINGER_SELF_COMMANDS.has(command.type)) {
        return rotationRejection('forbidden', 'Only the KJ can do that.');
      }
      if ('singerId' in command && command.singerId !== actor.id) {
        return rotationRejection('forbidden', 'A singer can only act for themselves.');
      }
      if (command.type === 'JoinRotation' && command.placement === 'next') {
        return rotationRejection('forbidden', 'Only the KJ can put a singer next in line.');
      }
      return null;
    }
  }
};
