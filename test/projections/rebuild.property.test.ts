import fc from 'fast-check';
import { queueView, type RotationCommand } from '../../src/aggregates/rotation';
import { createRotationService } from '../../src/eventstore/rotationService';
import { createLocalStreamFeed } from '../../src/local/streamFeed';
import { createProjectionStreamHandler, rebuildProjections } from '../../src/projections';
import { nightActions, nightSettings, playNight } from '../properties/support/night';
import { withEmbeddedDynamo } from '../support/dynamo';
import { completedPerformances, fixtureOn, foldCommits, snapshotReadModels } from './support';

const dynamo = withEmbeddedDynamo();

/** Long nights, few of them: each runs every command through the real store, feed and projections. */
const RUNS = Number(process.env.FC_RUNS ?? 25);
const MAX_ACTIONS = 250;

describe('read models over random nights', () => {
  it('live read models equal a fresh fold, list every performance once, and a rebuild from the table gives the same', async () => {
    const { store, models } = fixtureOn(dynamo);
    const failures: string[] = [];
    const feed = createLocalStreamFeed(store, (m) => failures.push(m));
    feed.subscribe({ name: 'projections', awaited: true, consumer: createProjectionStreamHandler({ projections: models.projections, store }) });
    const service = createRotationService({ store: feed.store });
    let nights = 0;

    await fc.assert(
      fc.asyncProperty(nightSettings, nightActions({ overrides: true, maxActions: MAX_ACTIONS }), async (settings, actions) => {
        const rotationId = `night-${++nights}`;
        const night = playNight(settings, [...actions, { kind: 'close' }]);
        for (const [i, { command }] of night.steps.entries()) {
          const own: RotationCommand = command.type === 'OpenRotation' ? { ...command, rotationId } : command;
          await service.execute(rotationId, own, `${rotationId}-${i}`);
        }
        expect(failures).toEqual([]);

        const log = (await service.read(rotationId))!;
        const now = log.commits.at(-1)!.at;
        expect(await models.queue.read(rotationId, now)).toEqual({ ...queueView(foldCommits(log.commits), { version: log.version, now }), headHash: log.commits.at(-1)!.hash });

        const performed = completedPerformances(log.commits);
        const singers = [...new Set(performed.map((p) => p.data.singerId as string))];
        for (const singerId of singers) {
          const listed = (await models.history.performances(singerId)).filter((p) => p.rotationId === rotationId);
          expect(listed.map((p) => p.completedAt)).toEqual(performed.filter((p) => p.data.singerId === singerId).map((p) => p.data.completedAt));
        }

        const live = await snapshotReadModels(dynamo);
        const report = await rebuildProjections({ store, projections: models.projections });
        expect(report.failures).toEqual([]);
        expect(report.streamsTotal).toBe(nights);
        expect(await snapshotReadModels(dynamo)).toEqual(live);
      }),
      {
        numRuns: RUNS,
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
        ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
        endOnFailure: true, // shrinking would replay hundreds of long nights through dynalite; FC_SEED + FC_PATH replay one
      },
    );
  }, 600_000); // 25 long nights through dynalite: about a minute alone, several on a loaded 2-core machine
});
