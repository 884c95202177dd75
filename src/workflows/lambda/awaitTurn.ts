/** Lambda entry of tasks WaitForStage and WaitForTurnEnd (lambda:invoke.waitForTaskToken). */
import type { AwaitTurnRequest } from '../contract';
import { createAwaitTurnHandler } from '../handlers/awaitTurn';
import { taskCallbacks, taskTokens, workflowDeps } from './awsDeps';

export const handler = (request: AwaitTurnRequest) =>
  createAwaitTurnHandler({ ...workflowDeps(), tokens: taskTokens(), callbacks: taskCallbacks() })(request);
