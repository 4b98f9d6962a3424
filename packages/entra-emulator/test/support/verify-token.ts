import type { AuthenticationResult } from '@azure/msal-node';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';

import { GRAPH_RESOURCE, OIDC_SCOPES, type RunningEmulator } from '../../src/index';

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/**
 * Verifies a token's signature against the emulator's JWKS (found through discovery), and its
 * issuer and audience.
 */
export async function verifyToken(
  emu: RunningEmulator,
  token: string,
  expected: { issuer: string; audience: string },
): Promise<JWTPayload & Record<string, unknown>> {
  const discovery = (await (
    await fetch(`${emu.authority}/v2.0/.well-known/openid-configuration`)
  ).json()) as {
    jwks_uri: string;
  };
  let jwks = keySets.get(discovery.jwks_uri);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    keySets.set(discovery.jwks_uri, jwks);
  }
  const { payload } = await jwtVerify(token, jwks, {
    issuer: expected.issuer,
    audience: expected.audience,
    algorithms: ['RS256'],
  });
  return payload as JWTPayload & Record<string, unknown>;
}

/** What a token response was asked for: the client and scopes; the tenant defaults to the emulator's. */
export interface TokenRequestFacts {
  clientId: string;
  scopes: readonly string[];
  tenantId?: string;
  /** The request ran a B2C user flow: v2 issuers then end with a slash, as B2C's do. */
  userFlow?: boolean;
}

/**
 * The issuer and audience Entra gives an access token for the requested scopes: v2 tokens (issuer
 * `<authority>/v2.0`, audience the API's client id) for APIs that ask for them, v1 tokens (issuer
 * `https://sts.windows.net/{tid}/`, audience the resource URI) for Graph, Storage and other v1
 * resources. Scopes without a resource, or only OpenID scopes, are Graph's.
 */
export function expectedAccessToken(
  emu: RunningEmulator,
  facts: TokenRequestFacts,
): { issuer: string; audience: string } {
  const tenantId = facts.tenantId ?? emu.tenantId;
  const scope = facts.scopes.find((s) => !OIDC_SCOPES.includes(s.toLowerCase()));
  const resourceId = scope?.includes('/') ? scope.slice(0, scope.lastIndexOf('/')) : GRAPH_RESOURCE;
  const resource = emu.directory.findResource(resourceId);
  if (!resource) throw new Error(`test: no resource ${resourceId} in the directory`);
  return resource.accessTokenVersion === 2
    ? { issuer: `${emu.baseUrl}/${tenantId}/v2.0${facts.userFlow ? '/' : ''}`, audience: resource.clientId }
    : { issuer: `https://sts.windows.net/${tenantId}/`, audience: resource.identifierUris[0] };
}

/**
 * Verifies every token of an MSAL result against the emulator's JWKS: the access token (issuer and
 * audience as Entra sets them for its resource, v1 or v2) and the ID token when there is one
 * (v2 issuer, audience = the client). Throws when one does not verify.
 */
export async function verifyAuthenticationResult(
  emu: RunningEmulator,
  result: AuthenticationResult | null,
  facts: TokenRequestFacts,
): Promise<void> {
  if (!result) throw new Error('test: MSAL returned no result');
  if (result.accessToken) {
    const claims = await verifyToken(emu, result.accessToken, expectedAccessToken(emu, facts));
    const expectedVer = claims.iss?.startsWith('https://sts.windows.net/') ? '1.0' : '2.0';
    if (claims.ver !== expectedVer) throw new Error(`test: access token ver ${String(claims.ver)}`);
  }
  if (result.idToken) {
    const tenantId = facts.tenantId ?? emu.tenantId;
    await verifyToken(emu, result.idToken, {
      issuer: `${emu.baseUrl}/${tenantId}/v2.0${facts.userFlow ? '/' : ''}`,
      audience: facts.clientId,
    });
    if (decodeJwt(result.idToken).ver !== '2.0') throw new Error('test: ID token is not v2.0');
  }
}
