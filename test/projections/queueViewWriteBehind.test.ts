import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredCommit } from '../../src/eventstore/commit';
import { documentClient } from '../../src/eventstore/dynamo';
import { createHotQueueViews } from '../../src/projections/hotQueueViews';
import { createQueueViewProjection, createQueueViewReader, readQueueViewState } from '../../src/projections/queueViewProjection';
import { writeQueueViewBehind } from '../../src/projections/queueViewWriteBehind';
import { applyCommits } from '../../src/projections/applyCommits';
import { createDecidedStates } from '../../src/eventstore/decidedStates';
import { createRotationService } from '../../src/eventstore/rotationService';
import type { RotationState } from '../../src/aggregates/rotation';
import { withEmbeddedDynamo } from '../support/dynamo';
import { fixtureOn, foldCommits, playScriptedNight } from './support';

const dynamo = withEmbeddedDynamo();

/** The queue view projection with its item writes counted. */
const countedProjection = () => {
  const doc = documentClient(dynamo.client);
  const writes = { count: 0 };
  const send = doc.send.bind(doc) as (command: unknown) => Promise<unknown>;
  (doc as unknown as { send: typeof send }).send = (command) => {
    if (command instanceof PutCommand) writes.count += 1;
    return send(command);
  };
  return { projection: createQueueViewProjection(doc, dynamo.tableNames.queueView, { hot: createHotQueueViews() }), writes, doc };
};

describe('the queue view written behind', () => {
  it('takes the state the command path decided for a commit instead of folding it again, and only for that very commit', async () => {
    const { store } = fixtureOn(dynamo);
    const decided = createDecidedStates<RotationState>();
    const noted: RotationState[] = [];
    // The service's handler notes each state it decides; kept here too, to check the very object is taken.
    const service = createRotationService({
      store,
      decided: { note: (...args) => (noted.push(args[3]), decided.note(...args)), take: (commit) => decided.take(commit) },
    });
    const commits = await playScriptedNight(service, 'decided');
    const { projection, doc } = countedProjection();
    const hot = createHotQueueViews();
    const behind = writeQueueViewBehind(projection, { store, hot, delayMs: 60_000, decided });

    let position = await behind.load('rotation#decided');
    // A note for another command at a version (a commit another process won) is never taken: that commit is folded.
    decided.note(commits[2]!.streamId, commits[2]!.version, 'someone-else', noted[0]!);
    for (const [i, commit] of commits.entries()) {
      position = await behind.apply(position, [commit]);
      expect(hot.get('decided')?.state).toEqual(foldCommits(commits.slice(0, i + 1)));
      if (i !== 2) expect(hot.get('decided')?.state).toBe(noted[i]);
    }
    await behind.flush();
    expect((await readQueueViewState(doc, 'decided', dynamo.tableNames.queueView))?.state).toEqual(foldCommits(commits));
  });

  it('holds each applied commit hot at once, and writes the item once per burst; flushed, the table equals a fresh fold', async () => {
    const { store, service } = fixtureOn(dynamo);
    const commits = await playScriptedNight(service, 'burst');
    const { projection, writes, doc } = countedProjection();
    const hot = createHotQueueViews();
    const behind = writeQueueViewBehind(projection, { store, hot, delayMs: 60_000 });

    let position = await behind.load('rotation#burst');
    for (const commit of commits) {
      position = await behind.apply(position, [commit]);
      // Read-your-writes: what a read renders is already this commit's.
      expect(hot.get('burst')?.version).toBe(commit.version);
    }
    expect(writes.count).toBe(0);
    expect(behind.pending()).toBe(1);

    await behind.flush();
    expect(writes.count).toBe(1);
    expect(behind.pending()).toBe(0);
    expect(await readQueueViewState(doc, 'burst', dynamo.tableNames.queueView)).toEqual({
      state: foldCommits(commits),
      version: commits.at(-1)!.version,
      lastSeq: commits.at(-1)!.events.at(-1)!.seq,
    });
  });

  it('a write that loses to another writer of the item (a catch-up) reloads it and applies only what it lacks', async () => {
    const { store, service } = fixtureOn(dynamo);
    const commits: StoredCommit[] = await playScriptedNight(service, 'raced');
    const { projection, doc } = countedProjection();
    const hot = createHotQueueViews();
    const behind = writeQueueViewBehind(projection, { store, hot, delayMs: 60_000 });

    const half = Math.floor(commits.length / 2);
    let position = await behind.load('rotation#raced');
    position = await behind.apply(position, commits.slice(0, half));
    await behind.flush();
    position = await behind.apply(position, commits.slice(half));
    // Meanwhile another writer brings the item further than the written-behind one knows.
    await applyCommits(projection, store, 'rotation#raced', commits.slice(0, half + 2));

    await behind.flush();
    expect(behind.pending()).toBe(0);
    expect(await readQueueViewState(doc, 'raced', dynamo.tableNames.queueView)).toMatchObject({
      state: foldCommits(commits),
      version: commits.at(-1)!.version,
    });
  });
  it('read-your-writes holds for a rotation that starts pending while every hot view is pinned (found in review)', async () => {
    const { store, service } = fixtureOn(dynamo);
    const doc = documentClient(dynamo.client);
    const hot = createHotQueueViews({ maxRotations: 2 }); // the engine's is 200: the same with 200 pending rotations
    const inner = createQueueViewProjection(doc, dynamo.tableNames.queueView, { hot });
    const behind = writeQueueViewBehind(inner, { store, hot, delayMs: 60_000 });
    const reader = createQueueViewReader(doc, dynamo.tableNames.queueView, hot);
    const now = new Date().toISOString();
    for (const id of ['pin-a', 'pin-b', 'pin-c']) {
      const commits = await playScriptedNight(service, id);
      await behind.apply(await behind.load(`rotation#${id}`), commits);
      // The answer to the command went out: the next read must see it, though the table does not have it yet.
      const view = await reader.read(id, now);
      expect({ id, version: view?.version ?? null }).toEqual({ id, version: commits.at(-1)!.version });
    }
    await behind.flush();
  });
});
