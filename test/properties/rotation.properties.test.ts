import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { fold, isRejection } from '../../src/aggregates/decider';
import {
  alertsForCalledTurn,
  isEligible,
  queueView,
  rotationDecider,
  scanOrder,
  type RotationCommand,
  type RotationEvent,
  type RotationState,
  type Song,
} from '../../src/aggregates/rotation';
import { assertEventMatchesSchema } from '../support/eventSchemas';
import { nightActions, nightSettings, playNight, propertyParameters, type Night } from './support/night';

/**
 * The invariants of DESIGN.md "The rotation", each a named property over random nights.
 * fast-check prints the seed and path of a failure; FC_SEED / FC_PATH / FC_RUNS replay or widen a run.
 */
const forAllNights = (overrides: boolean, check: (night: Night) => void) =>
  fc.assert(
    fc.property(nightSettings, nightActions({ overrides }), (settings, actions) => check(playNight(settings, actions))),
    propertyParameters(),
  );

/** Plain checks in the hot loops: jest's expect is too slow for ~70,000 steps a property. */
const check = (condition: boolean, message: () => string) => {
  if (!condition) throw new Error(message());
};
const same = (actual: unknown, expected: unknown, what: string) =>
  check(isDeepStrictEqual(actual, expected), () => `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);

const ready = (state: RotationState, singerId: string) =>
  isEligible(state.singers[singerId]) && !state.singers[singerId]!.skipNext;

const NOW = '2026-11-22T03:00:00.000Z';

/** Circular order of `ids` as they stand in `order`, starting from `first`. */
const cyclicFrom = (order: readonly string[], ids: ReadonlySet<string>, first: string) => {
  const kept = order.filter((id) => ids.has(id));
  const start = kept.indexOf(first);
  return [...kept.slice(start), ...kept.slice(0, start)];
};

describe('rotation properties', () => {
  it('property: the order is a permutation of the singers who joined and have not left', () => {
    forAllNights(true, ({ steps }) => {
      const present = new Set<string>();
      for (const step of steps) {
        for (const e of step.events) {
          if (e.type === 'SingerJoined') present.add(e.data.singerId);
          if (e.type === 'SingerLeft') present.delete(e.data.singerId);
        }
        const { order, top, cursor, singers } = step.after;
        same([...order].sort(), [...present].sort(), 'order');
        same(Object.keys(singers).sort(), [...present].sort(), 'singers');
        check((top === null) === (order.length === 0), () => `top ${top} with order ${order}`);
        check(top === null || order.includes(top), () => `top ${top} not in ${order}`);
        check(cursor === null || order.includes(cursor), () => `cursor ${cursor} not in ${order}`);
      }
    });
  });

  it('property: only a move changes the relative order of the others', () => {
    forAllNights(true, ({ steps }) => {
      for (const step of steps) {
        if (step.events.some((e) => e.type === 'SingerMoved')) continue;
        const common = new Set(step.before.order.filter((id) => step.after.order.includes(id)));
        if (common.size < 2) continue;
        const first = [...common][0]!;
        same(cyclicFrom(step.after.order, common, first), cyclicFrom(step.before.order, common, first), `relative order after ${step.command.type}`);
      }
    });
  });

  it('property: with no KJ overrides, no singer sings twice while another continuously eligible singer has not sung once', () => {
    forAllNights(false, ({ steps }) => {
      const readySince = new Map<string, number>();
      const lastCalled = new Map<string, number>();
      steps.forEach((step, index) => {
        const call = step.events.find((e) => e.type === 'TurnCalled');
        if (call) {
          const singerId = call.data.singerId;
          const previous = lastCalled.get(singerId);
          if (previous !== undefined) {
            for (const [other, since] of readySince) {
              if (other === singerId || since > previous) continue;
              const otherCalled = lastCalled.get(other);
              const calledSince = otherCalled !== undefined && otherCalled > previous;
              if (!calledSince) {
                throw new Error(`${singerId} was called again at step ${index} although ${other} has been ready since step ${since} and not called since ${singerId}'s call at step ${previous}`);
              }
            }
          }
          lastCalled.set(singerId, index);
        }
        for (const singerId of step.after.order) {
          if (!ready(step.after, singerId)) readySince.delete(singerId);
          else if (!readySince.has(singerId)) readySince.set(singerId, index);
        }
        for (const singerId of readySince.keys()) if (!step.after.singers[singerId]) readySince.delete(singerId);
      });
    });
  });

  it('property: bounded wait — an eligible singer is called within as many turns as there are eligible singers ahead', () => {
    forAllNights(true, ({ steps }) => {
      for (const { after } of steps) {
        const ring = scanOrder(after);
        const eligible = ring.filter((id) => isEligible(after.singers[id]));
        const view = queueView(after, { version: 0, now: NOW });
        same(view.upcoming.map((u) => u.singerId).sort(), [...eligible].sort(), 'upcoming singers');
        for (const { singerId, turnsAway } of view.upcoming) {
          const ahead = ring.slice(0, ring.indexOf(singerId)).filter((id) => isEligible(after.singers[id])).length;
          // A skipped turn passes to whoever is next, so a skipper may wait one more lap of the others.
          const skippedLap = after.singers[singerId]!.skipNext ? eligible.length - 1 : 0;
          check(turnsAway <= ahead + skippedLap + 1, () => `${singerId} is ${turnsAway} turns away with ${ahead} eligible ahead (skipping: ${skippedLap > 0})`);
        }
      }
    });
  });

  it('property: skipped, away and song-less singers add nothing to the others\' waits', () => {
    forAllNights(true, ({ steps }) => {
      for (const { after } of steps) {
        const ring = scanOrder(after);
        const view = queueView(after, { version: 0, now: NOW });
        let previousWait = -1;
        for (const { singerId, turnsAway, estimatedWaitSeconds } of view.upcoming) {
          check(estimatedWaitSeconds >= previousWait, () => `wait decreased to ${estimatedWaitSeconds} at ${singerId}`);
          previousWait = estimatedWaitSeconds;
          if (after.singers[singerId]!.skipNext) continue;
          // Exactly one turn for each ready singer ahead: nobody who is skipping, away or out of songs counts.
          const readyAhead = ring.slice(0, ring.indexOf(singerId)).filter((id) => ready(after, id));
          same(turnsAway, readyAhead.length + 1, `${singerId}'s turns away with ready ahead ${readyAhead}`);
        }
      }
    });
  });

  it('property: a newcomer lands where the placement promises, and sings before exactly those it is placed before', () => {
    forAllNights(true, ({ steps }) => {
      for (const { before, after, events } of steps) {
        const joined = events.find((e) => e.type === 'SingerJoined');
        if (!joined || before.order.length === 0) continue;
        const newcomer = joined.data.singerId;
        const view = scanOrder(after);
        const at = view.indexOf(newcomer);
        const last = view.length - 1;
        const expected = {
          // fair: the end of the current round, i.e. just before top (last when the round starts at the view's head)
          fair: (view.indexOf(before.top!) - 1 + view.length) % view.length,
          // full-rotation: everyone else first, but the current (or last) singer keeps the very end
          'full-rotation': before.cursor === null ? last : last - 1,
          next: 0,
          // back: behind everyone; only the singer on stage now comes after
          back: before.currentTurn ? last - 1 : last,
        }[joined.data.placement];
        same(at, expected, `${joined.data.placement} join of ${newcomer} in ${view}`);
        // In calls: every ready singer placed ahead sings first, every one placed behind sings after.
        const turnsAway = new Map(queueView(after, { version: 0, now: NOW }).upcoming.map((u) => [u.singerId, u.turnsAway]));
        for (const other of view) {
          if (other === newcomer || !ready(after, other) || after.currentTurn?.singerId === other) continue;
          const singsFirst = turnsAway.get(other)! < turnsAway.get(newcomer)!;
          check(singsFirst === view.indexOf(other) < at, () => `${other} ${singsFirst ? 'sings before' : 'sings after'} ${joined.data.placement} newcomer ${newcomer} in ${view}`);
        }
      }
    });
  });

  it('property: a singer\'s own songs keep their order', () => {
    forAllNights(true, ({ steps }) => {
      const queuedOrder = new Map<string, string[]>();
      const lastCalledIndex = new Map<string, number>();
      for (const step of steps) {
        for (const e of step.events) {
          if (e.type === 'SingerJoined') {
            queuedOrder.set(e.data.singerId, [e.data.songId]);
            lastCalledIndex.set(e.data.singerId, -1);
          }
          if (e.type === 'SongQueued') queuedOrder.get(e.data.singerId)!.push(e.data.songId);
          if (e.type === 'TurnCalled') {
            const index = queuedOrder.get(e.data.singerId)!.indexOf(e.data.songId);
            // Re-called after a forfeit or skip is the same song again; otherwise strictly later in the list.
            check(index >= lastCalledIndex.get(e.data.singerId)!, () => `${e.data.songId} called out of order`);
            lastCalledIndex.set(e.data.singerId, index);
          }
        }
        for (const singer of Object.values(step.after.singers)) {
          const order = queuedOrder.get(singer.singerId)!;
          const positions = singer.songs.map((s) => order.indexOf(s.songId));
          same(positions, [...positions].sort((a, b) => a - b), `${singer.singerId}'s pending songs`);
        }
      }
    });
  });

  it('property: replay of the log from scratch gives the same state, at every step', () => {
    forAllNights(true, ({ steps, events, state }) => {
      const stored: RotationEvent[] = JSON.parse(JSON.stringify(events));
      stored.forEach((e) => assertEventMatchesSchema(e));
      same(fold(rotationDecider, stored), state, 'replayed state');
      let replayed = rotationDecider.initialState;
      for (const step of steps) {
        for (const e of JSON.parse(JSON.stringify(step.events)) as RotationEvent[]) replayed = rotationDecider.evolve(replayed, e);
        same(replayed, step.after, `replayed state after ${step.command.type}`);
      }
    });
  });

  it('property: the queue view\'s upcoming is exactly the order in which singers then get called when every turn completes', () => {
    forAllNights(true, ({ state }) => {
      if (state.status !== 'open') return;
      const upcoming = queueView(state, { version: 0, now: NOW }).upcoming.map((u) => [u.singerId, u.turnsAway, u.song]);
      const kj = { id: 'kj', role: 'kj' as const };
      let s = state;
      const run = (command: RotationCommand) => {
        const result = rotationDecider.decide(command, s);
        if (isRejection(result)) return result;
        s = fold(rotationDecider, result, s);
        return result;
      };
      if (s.currentTurn) run({ type: 'CompleteTurn', turnId: s.currentTurn.turnId, actor: kj, at: NOW });
      const firstCalls: [string, number, Song][] = [];
      for (let call = 1; call <= 200; call++) {
        const result = run({ type: 'CallNext', turnId: `sim-${call}`, actor: kj, at: NOW });
        if (isRejection(result)) break;
        const singerId = s.currentTurn!.singerId;
        if (!firstCalls.some(([id]) => id === singerId)) firstCalls.push([singerId, call, s.currentTurn!.song]);
        run({ type: 'CompleteTurn', turnId: `sim-${call}`, actor: kj, at: NOW });
        if (firstCalls.length === upcoming.length) break;
      }
      expect(firstCalls).toEqual(upcoming);
    });
  });

  it('property: an alert fires at most once per singer per turn, never to an away singer, nor to one the KJ added who has not acted yet', () => {
    forAllNights(true, ({ steps }) => {
      // Told by the commands alone, not the state: a singer the KJ added stays silent until they act themselves.
      const silent = new Set<string>();
      for (const step of steps) {
        const { command } = step;
        if (!step.rejected && command.type === 'JoinRotation') {
          if (command.actor.role === 'kj') silent.add(command.singerId);
          else silent.delete(command.singerId);
        } else if (!step.rejected && command.actor.role === 'singer') {
          silent.delete(command.actor.id);
        }
        if (!step.events.some((e) => e.type === 'TurnCalled')) continue;
        const alerts = alertsForCalledTurn(step.after);
        const targets = alerts.map((a) => a.singerId);
        check(new Set(targets).size === targets.length, () => `duplicate alerts ${targets}`);
        const called = step.after.currentTurn!.singerId;
        const expectedUp = silent.has(called) ? [] : [{ singerId: called, kind: 'up-now', turnsAway: 0 }];
        same(alerts.filter((a) => a.kind === 'up-now'), expectedUp, 'up-now alert');
        for (const alert of alerts) same(step.after.singers[alert.singerId]!.status, 'active', `${alert.singerId}'s status`);
        const view = queueView(step.after, { version: 0, now: NOW });
        const ahead = view.upcoming.find((u) => u.turnsAway === step.after.settings.alertAheadTurns);
        const expectedAhead = ahead && ahead.singerId !== called && !silent.has(ahead.singerId) ? [ahead.singerId] : [];
        same(alerts.filter((a) => a.kind === 'turns-away').map((a) => a.singerId), expectedAhead, 'turns-away alert');
      }
    });
  });
});
