/**
 * Lambda entry, run by an EventBridge Scheduler schedule (infra/functions.ts): every open turn gets a running
 * execution, or is ended as the workflow would have ended it (handlers/reconcileOpenTurns.ts).
 */
import { createReconcileOpenTurnsHandler } from '../handlers/reconcileOpenTurns';
import { createStartTurnWorkflowHandler } from '../handlers/startTurnWorkflow';
import { openTurnIndex, turnExecutions, turnStarter, workflowDeps } from './awsDeps';

export const handler = async () => {
  const deps = workflowDeps();
  const report = await createReconcileOpenTurnsHandler({
    ...deps,
    openTurns: openTurnIndex(),
    executions: turnExecutions(),
    startTurn: (event) => createStartTurnWorkflowHandler({ service: deps.service, starter: turnStarter() })(event as never),
  })();
  // One line per run for the log; what it started or ended is what someone may want to look at.
  console.log(JSON.stringify({ message: 'reconciled open turns', ...report }));
  return report;
};
