import { singerOf, type RotationState } from './types';
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
  const target = ahead > 0 ? simulateUpcoming(state).find((call) => call.turnsAway === ahead) : undefined;
  if (target && target.singerId !== turn.singerId) {
    alerts.push({ singerId: target.singerId, kind: 'turns-away', turnsAway: ahead });
  }
  return alerts.filter((alert) => mayAlert(state, alert.singerId));
};

/** API.md "Singers the KJ adds": no SMS or email to a singer the KJ added until they confirm it themselves. */
export const mayAlert = (state: RotationState, singerId: string): boolean => {
  const singer = singerOf(state, singerId);
  return !singer?.addedByKj || singer.confirmed === true;
};
