import type { JoinPlacement, RotationSettings } from './settings';
import type { Actor, Song } from './types';

/** Every command carries who issues it and when; ids for new things arrive on the command too. */
interface CommandBase {
  readonly actor: Actor;
  /** ISO-8601 time the command was issued. */
  readonly at: string;
}

export type RotationCommand = CommandBase &
  (
    | { type: 'OpenRotation'; rotationId: string; venue: string; settings?: Partial<RotationSettings>; joinCode?: string }
    | { type: 'JoinRotation'; singerId: string; displayName: string; songId: string; song: Song; placement?: JoinPlacement; bookSongId?: string }
    | { type: 'QueueSong'; singerId: string; songId: string; song: Song; bookSongId?: string }
    | { type: 'WithdrawSong'; singerId: string; songId: string }
    | { type: 'SkipTurn'; singerId: string }
    | { type: 'GoAway'; singerId: string }
    | { type: 'ComeBack'; singerId: string }
    | { type: 'LeaveRotation'; singerId: string }
    | { type: 'RemoveSinger'; singerId: string }
    | { type: 'MoveSinger'; singerId: string; position: number }
    | { type: 'CallNext'; turnId: string }
    | { type: 'StartTurn'; turnId: string }
    | { type: 'CompleteTurn'; turnId: string }
    | { type: 'ForfeitTurn'; turnId: string }
    | { type: 'CloseRotation' }
  );

export type RotationCommandType = RotationCommand['type'];
export type RotationCommandOf<T extends RotationCommandType> = Extract<RotationCommand, { type: T }>;

/** Commands a singer may issue about themselves (API.md "Who may do what"). */
export const SINGER_SELF_COMMANDS: ReadonlySet<RotationCommandType> = new Set<RotationCommandType>([
  'JoinRotation',
  'QueueSong',
  'WithdrawSong',
  'SkipTurn',
  'GoAway',
  'ComeBack',
  'LeaveRotation',
]);

/** Commands the turn workflow issues on the rotation's behalf. */
export const SYSTEM_COMMANDS: ReadonlySet<RotationCommandType> = new Set<RotationCommandType>([
  'CallNext',
  'StartTurn',
  'CompleteTurn',
  'ForfeitTurn',
]);
