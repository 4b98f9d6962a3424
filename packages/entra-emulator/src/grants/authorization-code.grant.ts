import { createHash } from 'node:crypto';

import { parseScopes } from '../directory/scope-request';
import type { EmulatorRuntime } from '../emulator-runtime';
import { EntraError, missingParameter } from '../errors/entra-error';
import { redirectUriMatches } from '../sign-in/redirect-uri';
import type { AuthenticatedClient } from './client-authentication';
import { presentedIssuedToken, userTokenOptions } from './grant-parameters';
import { userTokenResponse } from './user-token-response';

/**
 * The `authorization_code` grant: single-use code, same client, same redirect URI, PKCE (S256 or
 * plain) verified, then the user-token rules.
 *
 * @example
 * ```ts
 * const body = await authorizationCodeGrant(runtime, params, client);
 * ```
 */
export async function authorizationCodeGrant(
  runtime: EmulatorRuntime,
  params: URLSearchParams,
  client: AuthenticatedClient,
): Promise<Record<string, unknown>> {
  const code = presentedIssuedToken(params, 'code', (id) => runtime.issuedTokens.code(id));
  if (code.redeemed) {
    throw new EntraError(
      'invalid_grant',
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    );
  }
  if (code.expiresAt < Date.now()) {
    throw new EntraError(
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity.',
    );
  }
  if (code.clientId !== client.app.clientId) {
    throw new EntraError(
      'invalid_grant',
      70000,
      'Provided grant is invalid or malformed: the code was issued to another client.',
    );
  }
  const redirectUri = params.get('redirect_uri') ?? missingParameter('redirect_uri');
  if (
    !redirectUriMatches(code.redirectUri, redirectUri) ||
    !redirectUriMatches(redirectUri, code.redirectUri)
  ) {
    throw new EntraError(
      'invalid_grant',
      500112,
      'The reply address does not match the reply address provided when requesting Authorization code.',
    );
  }
  if (code.codeChallenge !== undefined) {
    const verifier = params.get('code_verifier');
    const computed =
      verifier && code.codeChallengeMethod === 'plain'
        ? verifier
        : verifier
          ? createHash('sha256').update(verifier).digest('base64url')
          : undefined;
    if (computed !== code.codeChallenge) {
      throw new EntraError(
        'invalid_grant',
        501481,
        'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      );
    }
  }
  code.redeemed = true;
  const user = runtime.directory.findUser(code.userOid);
  if (!user)
    throw new EntraError('invalid_grant', 50034, 'The user account does not exist in the directory.');
  const scopes = parseScopes(runtime.directory, params.get('scope') ?? code.scope);
  return userTokenResponse(runtime, {
    client,
    user,
    facts: code,
    scopes,
    nonce: code.nonce,
    ...userTokenOptions(params),
    idToken: true,
  });
}
