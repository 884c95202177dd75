import type { RotationState } from './types';
import { simulateUpcoming } from './upcoming';

export type TurnAlertKind = 'up-now' | 'turns-away';

export interface TurnAlert {
  readonly singerId: string;
  readonly kind: TurnAlertKind;
  readonly turnsAway: number;
}

/**
 * ROTATION.md "Alerts", for the state right after a turn was called: the called singer is up now, and the
 * singer `alertAheadTurns` calls away is told so. At most one alert per singer per turn; away singers are
 * never in `upcoming`, so they are never alerted.
 */
export const alertsForCalledTurn = (state: RotationState): TurnAlert[] => {
  const turn = state.currentTurn;
  if (!turn || turn.state !== 'called') return [];
  const alerts: TurnAlert[] = [{ singerId: turn.singerId, kind: 'up-now', turnsAway: 0 }];
  const ahead = state.settings.alertAheadTurns;
  if (ahead <= 0) return alerts;
  const target = simulateUpcoming(state).find((call) => call.turnsAway === ahead);
  if (target && target.singerId !== turn.singerId) {
    alerts.push({ singerId: target.singerId, kind: 'turns-away', turnsAway: ahead });
  }
  return alerts;
};
