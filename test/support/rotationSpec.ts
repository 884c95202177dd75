import { fold, isRejection } from '../../src/aggregates/decider';
import {
  rotationDecider,
  type Actor,
  type RotationCommand,
  type RotationEvent,
  type RotationState,
} from '../../src/aggregates/rotation';
import { assertEventMatchesSchema } from './eventSchemas';

type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;
export type CommandBody = DistributiveOmit<RotationCommand, 'actor' | 'at'> & { actor?: Actor; at?: string };

export const KJ: Actor = { id: 'kj-1', role: 'kj' };
export const SYSTEM: Actor = { id: 'turn-workflow', role: 'system' };
export const singer = (id: string): Actor => ({ id, role: 'singer' });
export const T0 = '2026-11-21T20:00:00.000Z';

/** Fills in the actor (the owning KJ unless given) and the time. */
export const command = (body: CommandBody): RotationCommand =>
  ({ actor: KJ, at: T0, ...body }) as RotationCommand;

/** given events / when command / then events (or a rejection). Every emitted event is checked against its schema. */
export const given = (...events: RotationEvent[]) => {
  const state: RotationState = fold(rotationDecider, events);
  return {
    state,
    when: (body: CommandBody) => {
      const result = rotationDecider.decide(command(body), state);
      if (!isRejection(result)) result.forEach((e) => assertEventMatchesSchema(e));
      return {
        result,
        then: (...expected: RotationEvent[]) => {
          expect(result).toEqual(expected);
          return fold(rotationDecider, expected, state);
        },
        thenRejects: (code: string) => {
          expect(isRejection(result) ? result.code : result).toBe(code);
          if (isRejection(result)) expect(result.message.length).toBeGreaterThan(10);
        },
      };
    },
  };
};
