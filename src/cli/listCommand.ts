/** `rotation list`: the rotations in the store, newest first, with the ids audit takes. */
import { isRotationStream, rotationIdOf } from '../eventstore/tables';
import type { RotationEventData } from '../aggregates/rotation';
import type { Clock } from './clock';
import type { Connection } from './connect';

export const runList = async (connection: Connection, { out, clock }: { out: (line: string) => void; clock: Clock }): Promise<number> => {
  const streamIds = (await connection.store.listStreamIds()).filter(isRotationStream);
  const rotations = [];
  for (const streamId of streamIds) {
    const first = await connection.store.readCommit(streamId, 1);
    const opened = first?.events.find((e) => e.type === 'RotationOpened')?.data as RotationEventData['RotationOpened'] | undefined;
    rotations.push({ rotationId: rotationIdOf(streamId), at: first?.at ?? '', venue: opened?.venue ?? '?', kj: first?.actor.id ?? '?' });
  }
  if (rotations.length === 0) {
    out(`No rotations in ${connection.where}.`);
    return 0;
  }
  rotations.sort((a, b) => b.at.localeCompare(a.at));
  for (const r of rotations) out(`${r.rotationId}  ${clock.day(r.at)} ${clock.time(r.at)}  ${r.venue} (KJ ${r.kj})`);
  return 0;
};
