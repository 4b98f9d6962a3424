import { parseScopes } from '../directory/scope-request';
import type { EmulatorRuntime, TenantSelector } from '../emulator-runtime';
import { EntraError, missingParameter } from '../errors/entra-error';
import { tokenTenant } from '../sign-in/token-tenant';
import { nowSeconds } from '../tokens/token-factory';
import type { AuthenticatedClient } from './client-authentication';
import { userTokenOptions } from './grant-parameters';
import { mfaRequired } from './mfa-required.error';
import { userTokenResponse } from './user-token-response';

/**
 * The resource owner password credentials grant (`password`, MSAL's `acquireTokenByUsernamePassword`):
 * an unknown user gets AADSTS50034, a wrong password AADSTS50126; a user who must do MFA cannot
 * through it (AADSTS50076, or 50079 without an MFA method); then the user-token rules apply.
 *
 * @example
 * ```ts
 * const body = await passwordGrant(runtime, params, tenant, client);
 * ```
 */
export async function passwordGrant(
  runtime: EmulatorRuntime,
  params: URLSearchParams,
  tenant: TenantSelector,
  client: AuthenticatedClient,
): Promise<Record<string, unknown>> {
  const username = params.get('username') ?? missingParameter('username');
  const password = params.get('password') ?? missingParameter('password');
  const scopes = parseScopes(runtime.directory, params.get('scope') ?? missingParameter('scope'));
  const user = runtime.directory.findUser(username);
  if (!user) {
    throw new EntraError(
      'invalid_grant',
      50034,
      `The user account ${username.slice(0, 100)} does not exist in the directory.`,
    );
  }
  if (password !== user.password) {
    throw new EntraError(
      'invalid_grant',
      50126,
      'Error validating credentials due to invalid username or password.',
    );
  }
  const tenantId = tokenTenant(runtime.directory, { tenant, client: client.app }, user);
  if (tenantId instanceof EntraError) throw tenantId;
  const resource = scopes.resources[0];
  if (user.mfaEnrolled) throw mfaRequired(user, resource?.clientId ?? client.app.clientId);
  const now = nowSeconds();
  return userTokenResponse(runtime, {
    client,
    user,
    facts: { userOid: user.oid, tenantId, amr: ['pwd'], authTime: now, sessionId: '' },
    scopes,
    ...userTokenOptions(params),
    idToken: true,
  });
}
