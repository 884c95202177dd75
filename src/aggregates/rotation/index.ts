import type { Decider } from '../decider';
import type { RotationCommand } from './commands';
import { decide } from './decide';
import type { RotationEvent } from './events';
import { evolve, evolveAll } from './evolve';
import { initialRotationState } from './state';
import type { RotationState } from './types';

export const rotationDecider: Decider<RotationCommand, RotationEvent, RotationState> = {
  initialState: initialRotationState,
  decide,
  evolve,
  evolveAll,
};

export * from './alerts';
export * from './commands';
export * from './events';
export * from './rejections';
export * from './settings';
export * from './types';
export { findNextCall } from './calling';
export { scanOrder } from './circle';
export { decide } from './decide';
export { evolve } from './evolve';
export { initialRotationState } from './state';
export { simulateUpcoming, type SimulatedCall } from './upcoming';
export {
  assembleView,
  averagePerformanceSeconds,
  currentEntry,
  estimatedWait,
  openTurnRemainingSeconds,
  queueView,
  singerEntry,
  upcomingEntry,
  viewHead,
  withHeadHash,
  type QueueView,
} from './view';
