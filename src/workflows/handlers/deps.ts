import type { RotationService } from '../../eventstore/rotationService';

/** What every workflow handler may use: the command port and a clock (ISO-8601). */
export interface WorkflowDeps {
  readonly service: Pick<RotationService, 'execute' | 'read' | 'held'>;
  readonly now: () => string;
}
