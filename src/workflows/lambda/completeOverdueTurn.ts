/** Lambda entry of task CompleteOverdueTurn. */
import type { TurnRef } from '../contract';
import { createCompleteOverdueTurnHandler } from '../handlers/turnCommands';
import { workflowDeps } from './awsDeps';

export const handler = (request: TurnRef) => createCompleteOverdueTurnHandler(workflowDeps())(request);
