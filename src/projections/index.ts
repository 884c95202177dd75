/** The rotation read models over one DynamoDB client and the deployment's table names. */
import type { TableNames } from '../eventstore/tables';
import type { HistoryReader, QueueViewReader } from './readModels';
import { documentClient, type AnyDynamoClient } from '../eventstore/dynamo';
import { createOpenTurnIndex, type OpenTurnIndex } from './openTurnIndex';
import { createCaughtUpMark, type CaughtUpMark } from './caughtUpMark';
import type { Projection } from './projection';
import { createQueueViewProjection, createQueueViewReader, type QueueViewPosition } from './queueViewProjection';
import { createHistoryReader, createSingerHistoryProjection } from './singerHistoryProjection';
import { createPopularSongsProjection } from './popularSongsProjection';
import type { HotQueueViews } from './hotQueueViews';

export interface RotationReadModels {
  // any: each projection keeps its own position type
  readonly projections: readonly Projection<any>[];
  /** The queue view's, among `projections` (one machine writes it behind: queueViewWriteBehind.ts). */
  readonly queueProjection: Projection<QueueViewPosition>;
  readonly queue: QueueViewReader;
  readonly history: HistoryReader;
  readonly openTurns: OpenTurnIndex;
  /** Set by the one-machine engine's clean stop; see caughtUpMark.ts. */
  readonly caughtUp: CaughtUpMark;
}

export const createRotationReadModels = (
  client: AnyDynamoClient,
  names: Pick<TableNames, 'queueView' | 'singerHistory' | 'projectionCheckpoints' | 'songbook'>,
  /** One machine only: the queue views the projection just applied, which its reads render from. */
  { hot }: { hot?: HotQueueViews } = {},
): RotationReadModels => {
  const doc = documentClient(client);
  const queueProjection = createQueueViewProjection(doc, names.queueView, { hot });
  return {
    queueProjection,
    projections: [
      queueProjection,
      createSingerHistoryProjection(doc, { history: names.singerHistory, checkpoints: names.projectionCheckpoints }),
      createPopularSongsProjection(doc, { songbook: names.songbook, checkpoints: names.projectionCheckpoints }),
    ],
    queue: createQueueViewReader(doc, names.queueView, hot),
    history: createHistoryReader(doc, names.singerHistory),
    openTurns: createOpenTurnIndex(doc, names.queueView),
    caughtUp: createCaughtUpMark(doc, names.projectionCheckpoints),
  };
};

export { catchUpProjections, type CatchUpProgress, type CatchUpReport } from './catchUp';
export { rebuildProjections, type RebuildReport } from './rebuild';
export { createProjectionStreamHandler, type ProjectionStreamHandler } from './streamHandler';
export { createHotQueueViews, type HotQueueViews } from './hotQueueViews';
