/**
 * States a command handler decided, waiting for the commits that record them (one machine, DESIGN.md "The
 * command path"): the queue view takes the state of the commit it applies instead of folding the same events a
 * second time. Noted before the append, so a delivery that runs inside the append finds it; taken only for the
 * commit the handler decided (same command id), so a commit another process wrote at that version is folded as
 * usual. Bounded: a state nobody takes (the append lost a race, the delivery failed) is forgotten in time.
 */
import { createBoundedMap } from '../boundedMap';
import type { StoredCommit } from './commit';

export interface DecidedStates<S> {
  note(streamId: string, version: number, commandId: string, state: S): void;
  /** The state noted for this very commit, once (it is forgotten as it is taken). */
  take(commit: StoredCommit): S | undefined;
}

export const DEFAULT_DECIDED_STATES = 1_000;

export const createDecidedStates = <S>(capacity = DEFAULT_DECIDED_STATES): DecidedStates<S> => {
  const noted = createBoundedMap<string, { readonly commandId: string; readonly state: S }>(capacity);
  const key = (streamId: string, version: number) => `${streamId}\u0000${version}`;
  return {
    note: (streamId, version, commandId, state) => noted.set(key(streamId, version), { commandId, state }),
    take(commit) {
      const k = key(commit.streamId, commit.version);
      const found = noted.peek(k);
      if (found) noted.delete(k);
      return found?.commandId === commit.commandId ? found.state : undefined;
    },
  };
};
