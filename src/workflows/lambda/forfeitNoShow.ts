/** Lambda entry of task ForfeitNoShow. */
import type { TurnRef } from '../contract';
import { createForfeitNoShowHandler } from '../handlers/turnCommands';
import { workflowDeps } from './awsDeps';

export const handler = (request: TurnRef) => createForfeitNoShowHandler(workflowDeps())(request);
