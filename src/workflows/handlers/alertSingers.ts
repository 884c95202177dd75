/**
 * Task AlertSingers: "you're up" to the called singer and "N turns away" to the singer alertAheadTurns away,
 * decided by alertsForCalledTurn on the rotation as it stood when the turn was called, so a retried or
 * repeated step decides the very same alerts (and the notifier's ledger sends each at most once).
 */
import { alertsForCalledTurn, singerOf } from '../../aggregates/rotation';
import type { ChannelDelivery, TurnAlertNotifier } from '../../notifiers/port';
import { TURN_ENDINGS, type AlertSingersRequest } from '../contract';
import { AlertDeliveryFailedError, TurnNotFoundError } from '../errors';
import { turnProgress } from '../turnLog';
import type { WorkflowDeps } from './deps';

export interface AlertSingersResult {
  /** Set when nothing was sent because the turn had already ended (e.g. the KJ forfeited it at once). */
  readonly skipped?: 'turn-ended';
  readonly alerts: readonly { singerId: string; kind: string; deliveries: readonly Pick<ChannelDelivery, 'channel' | 'outcome'>[] }[];
}

export const createAlertSingersHandler =
  ({ service, notifier }: Pick<WorkflowDeps, 'service'> & { notifier: TurnAlertNotifier }) =>
  async ({ rotationId, turnId, calledVersion }: AlertSingersRequest): Promise<AlertSingersResult> => {
    const log = await service.read(rotationId);
    const progress = log ? turnProgress(log.commits, turnId) : null;
    if (!log || progress === null) throw new TurnNotFoundError(rotationId, turnId);
    if (TURN_ENDINGS.has(progress)) return { skipped: 'turn-ended', alerts: [] };

    // The one "as of" read path: the rotation right after the commit that called the turn.
    const state = (await service.read(rotationId, { toVersion: calledVersion }))?.state;
    if (!state) throw new TurnNotFoundError(rotationId, turnId, `open at version ${calledVersion}`);
    const turn = state.currentTurn;
    if (turn?.turnId !== turnId) throw new TurnNotFoundError(rotationId, turnId, `open at version ${calledVersion}`);

    const results: { singerId: string; kind: string; deliveries: ChannelDelivery[] }[] = [];
    for (const alert of alertsForCalledTurn(state)) {
      const { deliveries } = await notifier.notify({
        rotationId,
        turnId,
        singerId: alert.singerId,
        kind: alert.kind,
        turnsAway: alert.turnsAway,
        venue: state.venue,
        displayName: singerOf(state, alert.singerId)?.displayName ?? alert.singerId,
        ...(alert.kind === 'up-now' ? { songTitle: turn.song.title } : {}),
      });
      results.push({ singerId: alert.singerId, kind: alert.kind, deliveries: [...deliveries] });
    }
    const failures = results.flatMap((r) =>
      r.deliveries.filter((d) => d.outcome === 'failed').map((d) => ({ singerId: r.singerId, channel: d.channel, ...(d.error ? { error: d.error } : {}) })),
    );
    if (failures.length > 0) throw new AlertDeliveryFailedError(failures);
    return {
      alerts: results.map((r) => ({ ...r, deliveries: r.deliveries.map(({ channel, outcome }) => ({ channel, outcome })) })),
    };
  };
