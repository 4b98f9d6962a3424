import type { AuthenticationResult } from '@azure/msal-node';
import { ChallengeUserException } from '../errors';
import type { Authorities } from './authorities';
import { findAccount, type MsalPartitionRunner } from './msal-partition.runner';
import { msalScopes } from './scopes';
import type { Flight } from './single-flight';
import type { UserTokenOptions } from './token-request.options';

/**
 * The token request behind a user-token cache miss: MSAL's silent call on the user's own partition
 * (refreshing with their refresh token when the access token is missing or stale), or a
 * {@link ChallengeUserException} when the partition or its account is gone, so the user signs in again.
 *
 * @example
 * ```ts
 * const result = await requestUserToken(runner, authorities, flight, ['User.Read'], { userFlow: '' });
 * ```
 */
export async function requestUserToken(
  runner: MsalPartitionRunner,
  authorities: Authorities,
  flight: Flight<unknown>,
  scopes: string[],
  options: UserTokenOptions & { userFlow: string },
): Promise<AuthenticationResult> {
  const userFlow = options.userFlow || undefined;
  const authority = authorities.resolve({ tenant: options.tenant, userFlow });
  const request = { kind: 'user', authority, scopes, userFlow, claims: options.claims } as const;
  return runner.run(flight, request, undefined, async (client, loaded) => {
    if (!loaded) {
      throw new ChallengeUserException(
        scopes,
        `Nothing is cached for the user at ${authority}: they must sign in again.`,
        { msalErrorCode: 'no_tokens_found', userFlow, claims: options.claims || undefined },
      );
    }
    const account = await findAccount(client, flight.partition);
    if (!account) {
      throw new ChallengeUserException(
        scopes,
        `The user's account is not in their cache partition: they must sign in again at ${authority}.`,
        { msalErrorCode: 'no_account_found', userFlow, claims: options.claims || undefined },
      );
    }
    return client.acquireTokenSilent({
      account,
      // As the token is stored (Graph's scopes bare), or MSAL misses it and refreshes.
      scopes: msalScopes(scopes),
      claims: options.claims || undefined,
      forceRefresh: options.forceRefresh ?? false,
      correlationId: options.correlationId,
    });
  });
}
