/**
 * Deterministic names and ids of the turn workflow, so a retried step, a repeated start or a redelivered event
 * can never act twice: the event store drops a repeated command id, Step Functions a repeated execution name.
 */
import { createHash } from 'node:crypto';

/** Step Functions execution names: 1–80 characters, letters, digits, `-` and `_` are always safe. */
const SAFE_EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** One execution per turn, named by the turn id (hashed only if the id is not a valid execution name). */
export const executionNameFor = (turnId: string): string =>
  SAFE_EXECUTION_NAME.test(turnId) ? turnId : `turn-${createHash('sha256').update(turnId).digest('hex').slice(0, 64)}`;

/** RFC 4122 name-based UUID (version 5, SHA-1) in a namespace of this engine's own. */
const TURN_ID_NAMESPACE = Buffer.from('6f1c2a4e9b3d4c5e8a7f0b1c2d3e4f50', 'hex');
export const nameBasedUuid = (name: string): string => {
  const bytes = createHash('sha1').update(TURN_ID_NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** The turn the workflow calls after turn `turnId` ends: the same id however often the step runs. */
export const nextTurnIdAfter = (turnId: string): string => nameBasedUuid(`next-after:${turnId}`);

/** The turn called when event `seq` of an idle rotation made a singer eligible. */
export const turnIdOnAdvance = (rotationId: string, seq: number): string => nameBasedUuid(`advance:${rotationId}:${seq}`);

export const workflowCommandIds = {
  forfeitNoShow: (turnId: string) => `turn-workflow:forfeit-no-show:${turnId}`,
  completeOverdue: (turnId: string) => `turn-workflow:complete-overdue:${turnId}`,
  callNextAfter: (turnId: string) => `turn-workflow:call-next-after:${turnId}`,
  advanceOn: (rotationId: string, seq: number) => `turn-workflow:advance-on:${rotationId}:${seq}`,
} as const;
