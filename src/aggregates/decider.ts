/**
 * The Decider pattern (as in Emmett): pure, deterministic, no I/O.
 * Time and ids arrive on the command, so the same command on the same state always decides the same.
 */
export interface Rejection<Code extends string = string> {
  readonly kind: 'rejection';
  /** Stable, kebab-case: clients and the API's status mapping key on it. */
  readonly code: Code;
  /** For a person: says what is wrong and, where it helps, what to do instead. */
  readonly message: string;
}

export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

export interface Decider<Command, Event extends DomainEvent, State> {
  readonly initialState: State;
  decide(command: Command, state: State): readonly Event[] | Rejection;
  evolve(state: State, event: Event): State;
  /**
   * Optional: the state after `events`, exactly as evolving them one by one gives, but faster (it may write to
   * objects it made itself during the call, never to its inputs nor, once returned, to its result).
   */
  evolveAll?(state: State, events: Iterable<Event>): State;
}

export const reject = <Code extends string>(code: Code, message: string): Rejection<Code> => ({
  kind: 'rejection',
  code,
  message,
});

export const isRejection = (value: unknown): value is Rejection =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'rejection';

/** Replay: the state after a sequence of events. */
export const fold = <Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve' | 'evolveAll'>,
  events: Iterable<Event>,
  from: State = decider.initialState,
): State => {
  if (decider.evolveAll) return decider.evolveAll(from, events);
  let state = from;
  for (const event of events) state = decider.evolve(state, event);
  return state;
};
