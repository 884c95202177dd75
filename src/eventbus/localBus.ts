/**
 * The in-process event bus of the one-machine runtime: same rule patterns, same matcher semantics and the same
 * envelope EventBridge delivers to a target, so targets run unchanged in both places.
 *
 * Like PutEvents, publish returns once events are accepted; delivery is asynchronous. Per rotation, events are
 * delivered in publish order: an event's targets all finish (or are dead-lettered) before the next event of
 * that rotation is delivered. So a target should resolve when it has accepted the work (as StartExecution
 * does), not when long work is done. A failing target is retried, then dead-lettered (like an SQS DLQ).
 */
import { randomUUID } from 'node:crypto';
import { createRingBuffer } from '../ringBuffer';
import type { StoredCommit } from '../eventstore/commit';
import { jitteredDelayMs, sleepMs, type BackoffOptions } from './backoff';
import { busEventsOf, type BusEvent, type EventBridgeEnvelope, type RotationEventDetail } from './busEvent';
import { DEFAULT_EVENT_BUS_NAME } from './constants';
import { compileEventPattern, type EventPattern } from './matcher';
import { assertEntryFits, toPutEventsEntry, type EventPublisher } from './publisher';

export type BusTarget = (event: EventBridgeEnvelope) => Promise<void>;

export interface LocalBusRule {
  readonly name: string;
  readonly pattern: EventPattern;
  readonly target: BusTarget;
}

export interface DeadLetter {
  readonly rule: string;
  readonly event: EventBridgeEnvelope;
  readonly attempts: number;
  readonly error: { readonly name: string; readonly message: string; readonly code?: string };
  readonly failedAt: string;
}

export interface LocalBus extends EventPublisher {
  /** Throws InvalidEventPatternError for a bad pattern and Error for a duplicate rule name. */
  addRule(rule: LocalBusRule): void;
  /** Deliveries that failed every attempt, oldest first. */
  deadLetters(): readonly DeadLetter[];
  /** Resolves when everything published so far (and anything targets published meanwhile) is delivered. */
  drain(): Promise<void>;
}

export interface LocalBusOptions {
  readonly retry?: Partial<BackoffOptions>;
  readonly newId?: () => string;
  readonly now?: () => Date;
  /** Dead letters kept for deadLetters(), newest (default 1,000); every one is also passed to onDeadLetter. */
  readonly maxDeadLetters?: number;
  /** Called for each dead letter; defaults to one line on stderr so a failure is never silent. */
  readonly onDeadLetter?: (letter: DeadLetter) => void;
}

export const LOCAL_ACCOUNT = 'local';
export const LOCAL_REGION = 'local';

const DEFAULT_RETRY: BackoffOptions = { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 500, sleep: sleepMs, random: Math.random };

/** EventBridge's `time` has no fraction of a second. */
const envelopeTime = (time: Date): string => time.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const toEnvelope = (event: BusEvent, id: string, detailJson: string = JSON.stringify(event.detail)): EventBridgeEnvelope => ({
  version: '0',
  id,
  'detail-type': event.detailType,
  source: event.source,
  account: LOCAL_ACCOUNT,
  time: envelopeTime(event.time),
  region: LOCAL_REGION,
  resources: [],
  // Through JSON, as EventBridge delivers it: undefined properties vanish, no object is shared with the store.
  detail: JSON.parse(detailJson) as RotationEventDetail,
});

/**
 * A target's own copy of an envelope, as each EventBridge target gets its own invocation: the envelope is JSON
 * (its detail came through JSON), so a copy of its few fields and a parse of the detail's JSON is a deep copy,
 * at a fraction of structuredClone's cost.
 */
const copyFor = (envelope: EventBridgeEnvelope, detailJson: string): EventBridgeEnvelope => ({
  ...envelope,
  resources: [...envelope.resources],
  detail: JSON.parse(detailJson) as RotationEventDetail,
});

const describeError = (err: unknown): DeadLetter['error'] => {
  const e = err as { name?: unknown; message?: unknown; code?: unknown };
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(err),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
  };
};

export const createLocalBus = ({
  retry = {},
  newId = randomUUID,
  now = () => new Date(),
  maxDeadLetters = 1_000,
  onDeadLetter = (l) =>
    console.error(`[bus] dead letter: rule ${l.rule}, ${l.event['detail-type']} #${l.event.detail.seq} of ${l.event.detail.streamId} after ${l.attempts} attempt(s): ${l.error.message}`),
}: LocalBusOptions = {}): LocalBus => {
  const backoff: BackoffOptions = { ...DEFAULT_RETRY, ...retry };
  const rules: { name: string; matches: (event: unknown) => boolean; target: BusTarget }[] = [];
  const letters = createRingBuffer<DeadLetter>(maxDeadLetters);
  /** Tail of each rotation's delivery chain. */
  const chains = new Map<string, Promise<void>>();

  const deliverToRule = async (rule: (typeof rules)[number], envelope: EventBridgeEnvelope, detailJson: string): Promise<void> => {
    let lastError: unknown;
    for (let attempt = 1; attempt <= backoff.maxAttempts; attempt++) {
      if (attempt > 1) await backoff.sleep(jitteredDelayMs(backoff, attempt - 1));
      try {
        await rule.target(copyFor(envelope, detailJson));
        return;
      } catch (err) {
        lastError = err;
      }
    }
    const letter: DeadLetter = {
      rule: rule.name,
      event: envelope,
      attempts: backoff.maxAttempts,
      error: describeError(lastError),
      failedAt: now().toISOString(),
    };
    letters.push(letter);
    onDeadLetter(letter);
  };

  const enqueue = (rotationId: string, deliver: () => Promise<void>): void => {
    const previous = chains.get(rotationId) ?? Promise.resolve();
    const next: Promise<void> = previous.then(deliver).then(() => {
      if (chains.get(rotationId) === next) chains.delete(rotationId);
    });
    chains.set(rotationId, next);
  };

  return {
    addRule: ({ name, pattern, target }) => {
      if (rules.some((r) => r.name === name)) throw new Error(`Local bus: a rule named "${name}" already exists`);
      rules.push({ name, matches: compileEventPattern(pattern), target });
    },

    publish: async (commits: readonly StoredCommit[]) => {
      const events = busEventsOf(commits);
      // Refuse what PutEvents would refuse, before accepting any of it. The entry's detail JSON is the one the
      // envelope and every target's copy are parsed from.
      const details = events.map((event) => {
        const entry = toPutEventsEntry(event, DEFAULT_EVENT_BUS_NAME);
        assertEntryFits(entry, event.ref);
        return entry.Detail!;
      });
      events.forEach((event, i) => {
        const detailJson = details[i]!;
        const envelope = toEnvelope(event, newId(), detailJson);
        // Rules are matched on arrival, as EventBridge does; delivery follows in order.
        const matched = rules.filter((rule) => rule.matches(envelope));
        if (matched.length === 0) return;
        enqueue(envelope.detail.rotationId, async () => {
          await Promise.all(matched.map((rule) => deliverToRule(rule, envelope, detailJson)));
        });
      });
    },

    deadLetters: () => letters.toArray(),

    drain: async () => {
      while (chains.size > 0) await Promise.all([...chains.values()]);
    },
  };
};
