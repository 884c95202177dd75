/**
 * Cognito post-confirmation trigger: a user who signed themselves up and confirmed their address is put in the
 * `singer` group, so their ID and access tokens carry `cognito:groups: ["singer"]` from their first sign-in.
 * `kj` is only ever granted by an admin (`rotation make-kj`, src/cli/awsCommands.ts). A confirmed forgotten
 * password (PostConfirmation_ConfirmForgotPassword) changes nothing.
 */
import { AdminAddUserToGroupCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import type { PrincipalRole } from '../../src/api/http/principal';

export const DEFAULT_ROLE: PrincipalRole = 'singer';

type Sender = Pick<CognitoIdentityProviderClient, 'send'>;

export const createSingerOnSignUp =
  (cognito: Sender) =>
  async (event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> => {
    if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp') return event;
    // Idempotent: adding a member again is a no-op, so Cognito's retry of a timed-out trigger is harmless.
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: event.userPoolId, Username: event.userName, GroupName: DEFAULT_ROLE }));
    return event;
  };

let client: CognitoIdentityProviderClient | undefined;
export const handler = (event: PostConfirmationTriggerEvent) => createSingerOnSignUp((client ??= new CognitoIdentityProviderClient({})))(event);
