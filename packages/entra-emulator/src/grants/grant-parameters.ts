import { EntraError, missingParameter } from '../errors/entra-error';
import { parseClaims } from '../sign-in/claims-request';
import type { UserTokenInput } from './user-token-response';

/**
 * The issued code or refresh token a token request presents in parameter `name`, looked up with
 * `find`: a missing parameter is AADSTS900144, a handle the emulator never issued (or forgot on
 * reset) AADSTS9002313 `invalid_grant`.
 *
 * @example
 * ```ts
 * const token = presentedIssuedToken(params, 'refresh_token', (id) => runtime.issuedTokens.refreshToken(id));
 * ```
 */
export function presentedIssuedToken<T>(
  params: URLSearchParams,
  name: string,
  find: (id: string) => T | undefined,
): T {
  const issued = find(params.get(name) ?? missingParameter(name));
  if (!issued)
    throw new EntraError('invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
  return issued;
}

/**
 * What every delegated token request may add, as {@link userTokenResponse} takes it: the `claims`
 * parameter (parsed; malformed JSON is refused) and `client_info=1`.
 *
 * @example
 * ```ts
 * userTokenResponse(runtime, { client, user, facts, scopes, ...userTokenOptions(params), idToken: true });
 * ```
 */
export function userTokenOptions(params: URLSearchParams): Pick<UserTokenInput, 'claims' | 'clientInfo'> {
  return {
    claims: params.has('claims') ? parseClaims(params.get('claims') ?? '') : undefined,
    clientInfo: params.get('client_info') === '1',
  };
}
