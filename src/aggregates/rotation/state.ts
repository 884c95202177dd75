import { DEFAULT_SETTINGS } from './settings';
import { singerOf, type RotationState, type SingerState } from './types';

export const initialRotationState: RotationState = {
  status: 'none',
  rotationId: '',
  venue: '',
  kjId: '',
  settings: DEFAULT_SETTINGS,
  order: [],
  top: null,
  cursor: null,
  singers: {},
  currentTurn: null,
  calledTonight: {},
  completedPerformances: 0,
  totalPerformanceSeconds: 0,
};

export const updateSinger = (
  state: RotationState,
  singerId: string,
  change: (singer: SingerState) => Partial<SingerState>,
): RotationState => {
  const singer = singerOf(state, singerId);
  if (!singer) return state;
  return { ...state, singers: { ...state.singers, [singerId]: { ...singer, ...change(singer) } } };
};
