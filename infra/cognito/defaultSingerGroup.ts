/**
 * Cognito pre-token-generation trigger: a user who signed themselves up (in no group) gets `singer` in their
 * token's `cognito:groups`, so singers can join from their phones without an admin step. `kj` is only ever
 * granted by adding the user to the kj group (an admin decision); a user in any group keeps their groups.
 * No AWS SDK call: the trigger only edits the event Cognito hands it.
 */
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import type { PrincipalRole } from '../../src/api/http/principal';

export const DEFAULT_ROLE: PrincipalRole = 'singer';

export const handler = async (event: PreTokenGenerationTriggerEvent): Promise<PreTokenGenerationTriggerEvent> => {
  const groups = event.request.groupConfiguration?.groupsToOverride ?? [];
  if (groups.length > 0) return event;
  event.response = {
    claimsOverrideDetails: {
      groupOverrideDetails: { groupsToOverride: [DEFAULT_ROLE] },
    },
  };
  return event;
};
