import { parseScopes } from '../directory/scope-request';
import type { EmulatorRuntime } from '../emulator-runtime';
import { EntraError, missingParameter } from '../errors/entra-error';
import { decodeAio } from '../tokens/aio-claim';
import { decodeJwt } from '../tokens/jwt';
import { nowSeconds } from '../tokens/token-factory';
import type { AuthenticatedClient } from './client-authentication';
import { userTokenOptions } from './grant-parameters';
import { userTokenResponse } from './user-token-response';

/** The OBO grant type. */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * The on-behalf-of grant (`jwt-bearer`, `requested_token_use=on_behalf_of`): the incoming
 * assertion must be a user access token this emulator signed, unexpired, whose audience is the
 * calling client; the user's consent to the downstream scopes for that client and MFA policies
 * apply as for any delegated token.
 *
 * @example
 * ```ts
 * const body = await onBehalfOfGrant(runtime, params, client);
 * ```
 */
export async function onBehalfOfGrant(
  runtime: EmulatorRuntime,
  params: URLSearchParams,
  client: AuthenticatedClient,
): Promise<Record<string, unknown>> {
  if (params.get('requested_token_use') !== 'on_behalf_of') {
    throw new EntraError(
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'requested_token_use' with value 'on_behalf_of'.",
    );
  }
  const assertion = params.get('assertion') ?? missingParameter('assertion');
  const jwt = decodeJwt(assertion);
  if (!jwt) throw new EntraError('invalid_request', 50027, 'JWT token is invalid or malformed.');
  if (!runtime.signingKey.verifies(jwt)) {
    throw new EntraError('invalid_grant', 50013, 'Assertion failed signature validation.');
  }
  const { aud, exp, nbf, oid, tid, amr, aio, idtyp } = jwt.payload;
  const now = nowSeconds();
  if (typeof exp !== 'number' || exp < now || (typeof nbf === 'number' && nbf > now + 300)) {
    throw new EntraError('invalid_grant', 500133, 'Assertion is not within its valid time range.');
  }
  const audiences = [client.app.clientId, ...client.app.identifierUris].map((a) => a.toLowerCase());
  if (typeof aud !== 'string' || !audiences.includes(aud.toLowerCase().replace(/\/+$/, ''))) {
    throw new EntraError(
      'invalid_grant',
      500131,
      'Assertion audience does not match the Client app presenting the assertion.',
    );
  }
  if (idtyp === 'app' || typeof oid !== 'string' || typeof tid !== 'string') {
    throw new EntraError(
      'invalid_grant',
      50013,
      'Assertion is not a user token: the on-behalf-of flow needs a delegated access token.',
    );
  }
  const user = runtime.directory.findUser(oid);
  if (!user || (typeof jwt.payload.iat === 'number' && jwt.payload.iat < user.tokensValidAfter)) {
    throw new EntraError(
      'invalid_grant',
      50173,
      'The provided grant has expired due to it being revoked, a fresh auth token is needed.',
      {
        suberror: 'bad_token',
      },
    );
  }
  const scope = params.get('scope') ?? missingParameter('scope');
  // v1 assertions say how the user signed in (amr); v2 ones only in the emulator's aio.
  const evidence = decodeAio(aio);
  const methods = Array.isArray(amr) ? amr.filter((a): a is string => typeof a === 'string') : evidence?.amr;
  return userTokenResponse(runtime, {
    client,
    user,
    facts: {
      userOid: user.oid,
      tenantId: tid,
      amr: methods ?? ['pwd'],
      authTime: evidence?.authTime ?? now,
      sessionId: '',
    },
    scopes: parseScopes(runtime.directory, scope),
    ...userTokenOptions(params),
    idToken: false,
  });
}
