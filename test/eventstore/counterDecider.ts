/** A tiny Decider for the store's generic behaviour: a counter with a ceiling. Not the rotation domain. */
import { reject, type Decider, type DomainEvent } from '../../src/aggregates/decider';

export type CounterCommand =
  | { readonly type: 'increment'; readonly by: number }
  | { readonly type: 'annotate'; readonly note: string };

export type CounterEvent =
  | DomainEvent<'incremented', { readonly by: number }>
  | DomainEvent<'annotated', { readonly note: string }>;

export interface CounterState {
  readonly value: number;
  readonly increments: number;
}

export const counterDecider = (max = Number.MAX_SAFE_INTEGER): Decider<CounterCommand, CounterEvent, CounterState> => ({
  initialState: { value: 0, increments: 0 },
  decide(command, state) {
    if (command.type === 'annotate') return [{ type: 'annotated', data: { note: command.note } }];
    if (command.by === 0) return []; // a no-op: nothing to record
    if (state.value + command.by > max) {
      return reject('over-max', `Cannot add ${command.by}: the counter is at ${state.value} and stops at ${max}.`);
    }
    // Two events per commit, so seq numbering across commits is exercised.
    return [
      { type: 'incremented', data: { by: command.by } },
      { type: 'annotated', data: { note: `+${command.by}` } },
    ];
  },
  evolve(state, event) {
    return event.type === 'incremented'
      ? { value: state.value + event.data.by, increments: state.increments + 1 }
      : state;
  },
});
