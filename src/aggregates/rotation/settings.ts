/** Rotation settings: defaults and bounds, shared by the domain and the API's validation. */
export type RotationPlacement = 'fair' | 'full-rotation';
export type JoinPlacement = RotationPlacement | 'next';
/**
 * Where a join's slot went, as recorded: a requested placement, or `back` for a singer who sang tonight,
 * left and returned: behind everyone in the rotation, so leaving and rejoining never gains a place.
 */
export type RecordedPlacement = JoinPlacement | 'back';

export interface RotationSettings {
  readonly placement: RotationPlacement;
  readonly alertAheadTurns: number;
  readonly noShowTimeoutSeconds: number;
  readonly maxPendingSongs: number;
  readonly maxNoShows: number;
  readonly autoAdvance: boolean;
  /** Slots a rotation holds at most; a join beyond it is refused (ROTATION.md). */
  readonly maxSingers: number;
  /** Free-text songs are refused: singers pick from the KJ's songbook (added 2026-12; absent in older events). */
  readonly songsFromBookOnly?: boolean;
}

/** Settings recorded only when asked for (their absence is their default), so older events read the same. */
export const OPTIONAL_SETTINGS: readonly (keyof RotationSettings)[] = ['songsFromBookOnly'];

export const DEFAULT_SETTINGS: RotationSettings = {
  placement: 'fair',
  alertAheadTurns: 2,
  noShowTimeoutSeconds: 120,
  maxPendingSongs: 3,
  maxNoShows: 2,
  autoAdvance: true,
  maxSingers: 150,
};

/** Inclusive integer bounds of the numeric settings (API.md). */
export const SETTING_BOUNDS = {
  alertAheadTurns: { min: 0, max: 10 },
  noShowTimeoutSeconds: { min: 10, max: 3600 },
  maxPendingSongs: { min: 1, max: 10 },
  maxNoShows: { min: 1, max: 10 },
  maxSingers: { min: 2, max: 500 },
} as const;

export const ROTATION_PLACEMENTS: readonly RotationPlacement[] = ['fair', 'full-rotation'];
export const JOIN_PLACEMENTS: readonly JoinPlacement[] = ['fair', 'full-rotation', 'next'];

/** Used for wait estimates before the rotation has a completed performance of its own. */
export const DEFAULT_PERFORMANCE_SECONDS = 240;

export const SONG_TEXT_MAX = 200;
export const SONG_KEY_RANGE = { min: -12, max: 12 } as const;
