import { authorize } from './authorize';
import { findNextCall } from './calling';
import type { RotationCommand, RotationCommandOf } from './commands';
import { event, type RotationEvent } from './events';
import { rotationRejection, type RotationRejection } from './rejections';
import { DEFAULT_SETTINGS, OPTIONAL_SETTINGS, type RotationSettings } from './settings';
import { singerOf, wasCalledTonight, type OpenTurn, type RotationState, type SingerState } from './types';

type Decision = readonly RotationEvent[] | RotationRejection;
const NOTHING: readonly RotationEvent[] = [];

export const decide = (command: RotationCommand, state: RotationState): Decision => {
  if (command.type === 'OpenRotation') return authorize(command, state) ?? open(command, state);
  if (state.status === 'none') return rotationRejection('rotation-not-found', 'There is no such rotation.');
  const denied = authorize(command, state);
  if (denied) return denied;
  if (state.status === 'closed') {
    return rotationRejection('rotation-closed', 'This rotation is closed: it can be read but not changed.');
  }
  switch (command.type) {
    case 'JoinRotation':
      return join(command, state);
    case 'CallNext':
      return callNext(command, state);
    case 'StartTurn':
      return withOpenTurn(command.turnId, state, (turn) =>
        turn.state === 'performing'
          ? NOTHING
          : [event('TurnStarted', { turnId: turn.turnId, singerId: turn.singerId, startedAt: command.at })],
      );
    case 'CompleteTurn':
      return withOpenTurn(command.turnId, state, (turn) => [completion(turn, command.at, state)]);
    case 'ForfeitTurn':
      return withOpenTurn(command.turnId, state, (turn) => forfeitNoShow(turn, state));
    case 'CloseRotation':
      return close(command, state);
    default:
      return withSinger(command.singerId, state, (singer) => withConsent(command, singer, decideForSinger(command, singer, state)));
  }
};

/**
 * API.md "Singers the KJ adds": a singer the KJ added gets no alerts until they act on the rotation themselves.
 * Any accepted command of theirs counts, even one that changes nothing else ("I'm back" while already back): it
 * is proof they hold the sign-in and want to be here. The KJ acting for them never counts (the actor must be
 * the singer), and a refused command records nothing, so it does not count either.
 */
const withConsent = (command: RotationCommand, singer: SingerState, decision: Decision): Decision => {
  const bySinger = command.actor.role === 'singer' && command.actor.id === singer.singerId;
  if (!bySinger || !singer.addedByKj || singer.confirmed || !Array.isArray(decision)) return decision;
  return [event('SingerConfirmed', { singerId: singer.singerId }), ...(decision as readonly RotationEvent[])];
};

type SingerCommand = Extract<RotationCommand, { singerId: string }>;

const decideForSinger = (
  command: Exclude<SingerCommand, { type: 'JoinRotation' }>,
  singer: SingerState,
  state: RotationState,
): Decision => {
  const { singerId } = singer;
  const calledTurn = state.currentTurn?.singerId === singerId ? state.currentTurn : null;
  switch (command.type) {
    case 'QueueSong': {
      const notFromBook = bookOnly(command, state);
      if (notFromBook) return notFromBook;
      if (singer.songs.length >= state.settings.maxPendingSongs) {
        return rotationRejection(
          'too-many-songs',
          `${singer.displayName} already has ${singer.songs.length} songs waiting; the limit is ${state.settings.maxPendingSongs}.`,
        );
      }
      if (singer.songs.some((p) => p.songId === command.songId) || calledTurn?.songId === command.songId) {
        return rotationRejection('duplicate-id', `Song id ${command.songId} is already in use.`);
      }
      return [event('SongQueued', { singerId, songId: command.songId, song: command.song, ...fromBook(command) })];
    }
    case 'WithdrawSong':
      if (!singer.songs.some((p) => p.songId === command.songId)) {
        return rotationRejection(
          'song-not-found',
          calledTurn?.songId === command.songId
            ? 'That song is up now and can no longer be withdrawn.'
            : `${singer.displayName} has no pending song with id ${command.songId}.`,
        );
      }
      return [event('SongWithdrawn', { singerId, songId: command.songId })];
    case 'SkipTurn':
      if (calledTurn?.state === 'called') return [turnSkipped(calledTurn, 'skip')];
      return singer.skipNext ? NOTHING : [event('SkipRequested', { singerId })];
    case 'GoAway': {
      if (singer.status === 'away') return NOTHING;
      const away = event('SingerWentAway', { singerId, reason: 'requested' });
      return calledTurn?.state === 'called' ? [turnSkipped(calledTurn, 'away'), away] : [away];
    }
    case 'ComeBack':
      return singer.status === 'active' ? NOTHING : [event('SingerCameBack', { singerId })];
    case 'LeaveRotation':
    case 'RemoveSinger': {
      const reason = command.type === 'LeaveRotation' ? 'left' : 'removed';
      const left = event('SingerLeft', { singerId, reason });
      return calledTurn
        ? [event('TurnForfeited', { turnId: calledTurn.turnId, singerId, songId: calledTurn.songId, reason }), left]
        : [left];
    }
    case 'MoveSinger':
      if (!Number.isSafeInteger(command.position) || command.position < 0) {
        return rotationRejection('invalid-position', 'Position must be a whole number, 0 or more.');
      }
      if (calledTurn) {
        return rotationRejection('singer-on-stage', `${singer.displayName} has the current turn and cannot be moved.`);
      }
      return [event('SingerMoved', { singerId, position: command.position })];
  }
};

const open = (command: RotationCommandOf<'OpenRotation'>, state: RotationState): Decision => {
  if (state.status !== 'none') return rotationRejection('rotation-already-open', 'This rotation already exists.');
  return [
    event('RotationOpened', {
      rotationId: command.rotationId,
      venue: command.venue,
      kjId: command.actor.id,
      settings: knownSettings(command.settings),
      openedAt: command.at,
      ...(command.joinCode ? { joinCode: command.joinCode } : {}),
    }),
  ];
};

/** The defaults with what was asked of the settings this domain knows; anything else is not recorded. */
const knownSettings = (asked: Partial<RotationSettings> = {}): RotationSettings => {
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of [...Object.keys(DEFAULT_SETTINGS), ...OPTIONAL_SETTINGS]) {
    const value = (asked as Record<string, unknown>)[key];
    if (Object.hasOwn(asked, key) && value !== undefined) settings[key] = value;
  }
  return settings as unknown as RotationSettings;
};

const join = (command: RotationCommandOf<'JoinRotation'>, state: RotationState): Decision => {
  const existing = singerOf(state, command.singerId);
  if (existing) {
    return rotationRejection(
      'already-joined',
      `${existing.displayName} is already in the rotation; queue another song instead.`,
    );
  }
  if (state.order.length >= state.settings.maxSingers) {
    return rotationRejection('rotation-full', `This rotation is full: it holds at most ${state.settings.maxSingers} singers.`);
  }
  const notFromBook = bookOnly(command, state);
  if (notFromBook) return notFromBook;
  const requested = command.placement ?? state.settings.placement;
  // Leaving and rejoining must not be a way to sing again sooner: a returning singer goes to the back.
  const returning = wasCalledTonight(state, command.singerId);
  return [
    event('SingerJoined', {
      singerId: command.singerId,
      displayName: command.displayName,
      songId: command.songId,
      song: command.song,
      placement: returning && requested !== 'next' ? 'back' : requested,
      returning,
      ...(command.actor.role === 'kj' ? { addedByKj: true as const } : {}),
      ...fromBook(command),
    }),
  ];
};

/** API.md "The songbook": with `songsFromBookOnly`, a song must come from the KJ's book. */
const bookOnly = (command: { bookSongId?: string }, state: RotationState): RotationRejection | undefined =>
  state.settings.songsFromBookOnly && command.bookSongId === undefined
    ? rotationRejection('song-not-in-songbook', 'This rotation takes songs from the KJ’s songbook only: pick one from the book.')
    : undefined;

const fromBook = (command: { bookSongId?: string }) => (command.bookSongId !== undefined ? { bookSongId: command.bookSongId } : {});

const callNext = (command: RotationCommandOf<'CallNext'>, state: RotationState): Decision => {
  if (state.currentTurn) {
    return rotationRejection('turn-in-progress', 'A turn is already open; finish it before calling the next singer.');
  }
  const next = findNextCall(state);
  if (!next) return rotationRejection('no-eligible-singer', 'Nobody is ready to sing: no active singer has a song.');
  const { songId, song } = singerOf(state, next.singerId)!.songs[0]!;
  return [
    event('TurnCalled', {
      turnId: command.turnId,
      singerId: next.singerId,
      songId,
      song,
      calledAt: command.at,
      skipsUsed: next.skipsUsed,
    }),
  ];
};

const forfeitNoShow = (turn: OpenTurn, state: RotationState): Decision => {
  if (turn.state === 'performing') {
    return rotationRejection('turn-already-started', 'The singer is already performing; complete the turn instead.');
  }
  const singer = singerOf(state, turn.singerId)!;
  const forfeited = event('TurnForfeited', {
    turnId: turn.turnId,
    singerId: turn.singerId,
    songId: turn.songId,
    reason: 'no-show',
  });
  const tooMany = singer.consecutiveNoShows + 1 >= state.settings.maxNoShows && singer.status === 'active';
  return tooMany ? [forfeited, event('SingerWentAway', { singerId: turn.singerId, reason: 'no-shows' })] : [forfeited];
};

const close = (command: RotationCommandOf<'CloseRotation'>, state: RotationState): Decision => {
  const turn = state.currentTurn;
  const closed = event('RotationClosed', { closedAt: command.at });
  if (!turn) return [closed];
  const ending =
    turn.state === 'performing'
      ? completion(turn, command.at, state)
      : event('TurnForfeited', { turnId: turn.turnId, singerId: turn.singerId, songId: turn.songId, reason: 'closed' });
  return [ending, closed];
};

const completion = (turn: OpenTurn, at: string, state: RotationState): RotationEvent => {
  const startedAt = turn.startedAt ?? turn.calledAt;
  const durationSeconds = Math.max(0, Math.round((Date.parse(at) - Date.parse(startedAt)) / 1000));
  return event('TurnCompleted', {
    turnId: turn.turnId,
    singerId: turn.singerId,
    songId: turn.songId,
    song: turn.song,
    startedAt,
    completedAt: at,
    durationSeconds: Number.isFinite(durationSeconds) ? durationSeconds : 0,
    ...(singerOf(state, turn.singerId)?.addedByKj ? { addedByKj: true as const } : {}),
  });
};

const turnSkipped = (turn: OpenTurn, reason: 'skip' | 'away'): RotationEvent =>
  event('TurnSkipped', { turnId: turn.turnId, singerId: turn.singerId, songId: turn.songId, reason });

const withOpenTurn = (turnId: string, state: RotationState, then: (turn: OpenTurn) => Decision): Decision =>
  state.currentTurn?.turnId === turnId
    ? then(state.currentTurn)
    : rotationRejection('turn-not-open', `Turn ${turnId} is not the open turn of this rotation.`);

const withSinger = (singerId: string, state: RotationState, then: (singer: SingerState) => Decision): Decision => {
  const singer = singerOf(state, singerId);
  return singer ? then(singer) : rotationRejection('not-in-rotation', `Singer ${singerId} is not in this rotation.`);
};
