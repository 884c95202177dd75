/**
 * Who may hold how many live streams: per ticket, per client address and in all. One ticket (or one address
 * minting tickets) can then never take every slot and starve everyone else's screens. Past a limit the answer
 * is 429 with Retry-After (API.md "Errors"); a slot is given back when its stream ends.
 */
export interface LiveLimits {
  /** Streams one live ticket may hold open at once (a page holds one; reloads and tabs a few more). */
  readonly perTicket: number;
  /** Streams one client address may hold open at once (a venue's phones each have their own address). */
  readonly perAddress: number;
  /** Streams across all rotations. */
  readonly total: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = { perTicket: 4, perAddress: 64, total: 1_000 };

export type Admission =
  | { readonly admitted: true; readonly release: () => void }
  | { readonly admitted: false; readonly limit: keyof LiveLimits; readonly message: string };

export interface LiveAdmission {
  admit(who: { readonly ticket: string; readonly address: string }): Admission;
  open(): number;
}

const countIn = (counts: Map<string, number>, key: string, delta: number) => {
  const next = (counts.get(key) ?? 0) + delta;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
};

export const createLiveAdmission = (limits: LiveLimits = DEFAULT_LIVE_LIMITS): LiveAdmission => {
  const byTicket = new Map<string, number>();
  const byAddress = new Map<string, number>();
  let total = 0;
  return {
    admit({ ticket, address }) {
      if ((byTicket.get(ticket) ?? 0) >= limits.perTicket) {
        return { admitted: false, limit: 'perTicket', message: `This live ticket already has ${limits.perTicket} streams open; close one, or get a new ticket.` };
      }
      if ((byAddress.get(address) ?? 0) >= limits.perAddress) {
        return { admitted: false, limit: 'perAddress', message: `Your address already has ${limits.perAddress} live streams open; close some first.` };
      }
      if (total >= limits.total) return { admitted: false, limit: 'total', message: 'Too many live screens are open; try again shortly.' };
      countIn(byTicket, ticket, 1);
      countIn(byAddress, address, 1);
      total += 1;
      let released = false;
      return {
        admitted: true,
        release() {
          if (released) return;
          released = true;
          countIn(byTicket, ticket, -1);
          countIn(byAddress, address, -1);
          total -= 1;
        },
      };
    },
    open: () => total,
  };
};
