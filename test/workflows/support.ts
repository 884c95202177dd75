/** Retries `check` until it passes (returns its value) or `timeoutMs` passes (throws its last error). */
export const eventually = async <T>(check: () => Promise<T>, { timeoutMs = 8000, intervalMs = 20 } = {}): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
};

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RotationCommand, RotationSettings } from '../../src/aggregates/rotation';
import { createRotationService, type RotationService } from '../../src/eventstore/rotationService';
import { createDynamoEventStore } from '../../src/eventstore/dynamoEventStore';

const KJ = { id: 'kj-1', role: 'kj' } as const;
let rotations = 0;
let commands = 0;

/** A rotation on a real (dynalite) event store, driven by commands as the KJ or a singer. */
export const rotationOn = async (
  client: DynamoDBClient,
  tableName: string,
  singers: readonly string[],
  settings: Partial<RotationSettings> = {},
) => {
  const service: RotationService = createRotationService({ store: createDynamoEventStore({ client, tableName }) });
  const rotationId = `r-${process.pid}-${++rotations}`;
  const at = () => new Date(Date.parse('2025-01-01T20:00:00.000Z') + commands * 1000).toISOString();
  const run = async (body: Record<string, unknown> & { type: RotationCommand['type'] }, actor: { id: string; role: 'kj' | 'singer' } = KJ) => {
    const outcome = await service.execute(rotationId, { ...body, actor, at: at() } as RotationCommand, `test-${++commands}`);
    if (outcome.kind !== 'accepted') throw new Error(`${body.type} rejected: ${outcome.rejection.code}`);
    return outcome;
  };
  await run({ type: 'OpenRotation', rotationId, venue: 'The Blue Room', settings });
  for (const singerId of singers) {
    await run({ type: 'JoinRotation', singerId, displayName: singerId.toUpperCase(), songId: `${singerId}-1`, song: { title: `${singerId} song`, artist: 'A' } }, { id: singerId, role: 'singer' });
  }
  /** The KJ calls the next singer; returns the turn and the version that called it. */
  const callNext = async (turnId: string) => {
    const outcome = await run({ type: 'CallNext', turnId });
    return { turnId, singerId: outcome.state.currentTurn!.singerId, calledVersion: outcome.version };
  };
  const eventsOf = async (type: string) =>
    ((await service.read(rotationId))?.commits ?? []).flatMap((c) => c.events.filter((e) => e.type === type).map((e) => ({ ...e, actor: c.actor })));
  return { service, rotationId, run, callNext, eventsOf, now: at };
};
