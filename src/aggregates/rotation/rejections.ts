import { reject, type Rejection } from '../decider';

/** Stable rejection codes of the rotation; the API maps each to an HTTP status. */
export const ROTATION_REJECTION_CODES = [
  'forbidden',
  'rotation-not-found',
  'rotation-already-open',
  'rotation-closed',
  'already-joined',
  'rotation-full',
  'not-in-rotation',
  'too-many-songs',
  'song-not-found',
  'duplicate-id',
  'no-eligible-singer',
  'turn-in-progress',
  'turn-not-open',
  'turn-already-started',
  'singer-on-stage',
  'invalid-position',
  'song-not-in-songbook',
] as const;
export type RotationRejectionCode = (typeof ROTATION_REJECTION_CODES)[number];
export type RotationRejection = Rejection<RotationRejectionCode>;

export const rotationRejection = (code: RotationRejectionCode, message: string): RotationRejection =>
  reject(code, message);
