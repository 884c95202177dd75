/** Lambda entry of task CallNextSinger. */
import type { TurnRef } from '../contract';
import { createCallNextSingerHandler } from '../handlers/turnCommands';
import { workflowDeps } from './awsDeps';

export const handler = (request: TurnRef) => createCallNextSingerHandler(workflowDeps())(request);
