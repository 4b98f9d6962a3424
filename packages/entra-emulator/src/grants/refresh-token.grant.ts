import { parseScopes } from '../directory/scope-request';
import type { EmulatorRuntime, TenantSelector } from '../emulator-runtime';
import { EntraError } from '../errors/entra-error';
import type { AuthenticatedClient } from './client-authentication';
import { presentedIssuedToken, userTokenOptions } from './grant-parameters';
import { userTokenResponse } from './user-token-response';

/**
 * The `refresh_token` grant: a refresh token is good for any resource the user consented to for
 * this client; one unused for 90 days gets AADSTS700082, a revoked user's AADSTS50173 (both
 * `bad_token`), then the user-token rules apply.
 *
 * @example
 * ```ts
 * const body = await refreshTokenGrant(runtime, params, tenant, client);
 * ```
 */
export async function refreshTokenGrant(
  runtime: EmulatorRuntime,
  params: URLSearchParams,
  tenant: TenantSelector,
  client: AuthenticatedClient,
): Promise<Record<string, unknown>> {
  const refreshToken = presentedIssuedToken(params, 'refresh_token', (id) =>
    runtime.issuedTokens.refreshToken(id),
  );
  if (refreshToken.clientId !== client.app.clientId) {
    throw new EntraError(
      'invalid_grant',
      70000,
      'Provided grant is invalid or malformed: the refresh token was issued to another client.',
    );
  }
  if (refreshToken.expiresAt < Date.now()) {
    const issued = new Date(refreshToken.issuedAt * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    throw new EntraError(
      'invalid_grant',
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${issued} and was inactive for 90.00:00:00.`,
      { suberror: 'bad_token' },
    );
  }
  const user = runtime.directory.findUser(refreshToken.userOid);
  if (!user || refreshToken.issuedAt < user.tokensValidAfter) {
    throw new EntraError(
      'invalid_grant',
      50173,
      'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.',
      { suberror: 'bad_token' },
    );
  }
  const tenantId =
    tenant.kind === 'tenant' && runtime.directory.isMember(user, tenant.tenant.id)
      ? tenant.tenant.id
      : refreshToken.tenantId;
  const scopes = parseScopes(runtime.directory, params.get('scope') ?? 'openid profile offline_access');
  return userTokenResponse(runtime, {
    client,
    user,
    facts: { ...refreshToken, tenantId },
    scopes,
    ...userTokenOptions(params),
    idToken: true,
  });
}
