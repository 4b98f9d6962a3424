import type { User } from '../directory/directory.types';
import { scopeConsentKey } from '../directory/consent-store';
import { formatScope, type ResourceScope, type ScopeRequest } from '../directory/scope-request';
import { WELL_KNOWN_RESOURCES } from '../directory/default-directory';
import type { EmulatorRuntime } from '../emulator-runtime';
import { EntraError } from '../errors/entra-error';
import { claimsRequireMfa, clientCapabilities } from '../sign-in/claims-request';
import type { SignInFacts } from '../state/issued-token-store';
import type { AuthenticatedClient } from './client-authentication';
import { mfaRequired } from './mfa-required.error';

/** Entra's refresh tokens expire after 90 days unused (each use returns a new one). */
export const REFRESH_TOKEN_INACTIVE_LIFETIME_MS = 90 * 24 * 3600 * 1000;

/** Input of {@link userTokenResponse}. */
export interface UserTokenInput {
  client: AuthenticatedClient;
  user: User;
  facts: SignInFacts;
  scopes: ScopeRequest;
  nonce?: string;
  /** The `claims` request parameter, parsed. */
  claims?: Record<string, unknown>;
  /** The request asked for `client_info=1`. */
  clientInfo: boolean;
  /** Issue an ID token when `openid` was requested (not for OBO). */
  idToken: boolean;
}

/**
 * Applies Entra's rules for a delegated token (one resource per request; every scope consented,
 * else AADSTS65001 `consent_required`; MFA when a policy or the claims demand it and the sign-in
 * had none, else AADSTS50076 `basic_action` with a claims challenge, or 50079 for a user without
 * an MFA method) and builds the response:
 * `token_type`, `scope`, `expires_in`, `ext_expires_in`, `access_token`, `refresh_token`,
 * `id_token`, `client_info`.
 *
 * @example
 * ```ts
 * ctx.sendJson(200, await userTokenResponse(runtime, { client, user, facts, scopes, clientInfo: true, idToken: true }));
 * ```
 */
export async function userTokenResponse(
  runtime: EmulatorRuntime,
  input: UserTokenInput,
): Promise<Record<string, unknown>> {
  const { client, user, facts, scopes } = input;
  if (scopes.resources.length > 1) {
    throw new EntraError(
      'invalid_request',
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scopes.scopes.map(formatScope).join(' ')} is not valid.`,
    );
  }
  const resource =
    scopes.resources[0] ?? runtime.directory.findResource(WELL_KNOWN_RESOURCES.graph.clientId)!;
  const granted = runtime.directory.grantedScopeKeys(user, client.app.clientId);
  const grantedForResource = resource.scopes.filter((name) =>
    granted.has(scopeConsentKey({ resource, name })),
  );
  const requested = scopes.scopes.filter((s) => s.name !== '.default');
  const missing = requested.filter((s) => !granted.has(scopeConsentKey(s)));
  const defaultRequested = scopes.scopes.some((s) => s.name === '.default');
  if (missing.length > 0 || (defaultRequested && grantedForResource.length === 0)) {
    throw new EntraError(
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${client.app.clientId}' named '${client.app.displayName}'. Send an interactive authorization request for this user and resource.`,
      { suberror: 'consent_required' },
    );
  }
  const mfaDone = facts.amr.includes('mfa');
  if (!mfaDone && (runtime.directory.requiresMfa(resource) || claimsRequireMfa(input.claims))) {
    throw mfaRequired(user, resource.clientId);
  }

  const names = [...new Set([...requested.map((s) => s.name), ...grantedForResource])];
  const tokenScopes: ResourceScope[] = names.map((name) => ({ resource, name }));
  const oidc = scopes.oidc.filter((s) => s !== 'offline_access');
  // A Graph token (also the one for OIDC scopes alone, for userinfo) lists the OIDC scopes in scp.
  const scp = resource.clientId === WELL_KNOWN_RESOURCES.graph.clientId ? [...oidc, ...names] : names;
  const lifetime = runtime.tokens.accessTokenLifetime;
  const accessToken = await runtime.tokens.userAccessToken({
    user,
    tenantId: facts.tenantId,
    client: client.app,
    clientAuth: client.auth,
    resource,
    scopes: scp,
    amr: facts.amr,
    authTime: facts.authTime,
    clientCapabilities: clientCapabilities(input.claims),
    flow: facts.flow,
  });
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: [...tokenScopes.map(formatScope), ...oidc].join(' '),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
  };
  if (scopes.oidc.includes('offline_access')) {
    body.refresh_token = runtime.issuedTokens.issueRefreshToken({
      ...facts,
      clientId: client.app.clientId,
      issuedAt: Math.floor(Date.now() / 1000),
      expiresAt: Date.now() + REFRESH_TOKEN_INACTIVE_LIFETIME_MS,
    });
  }
  if (input.idToken && scopes.oidc.includes('openid')) {
    body.id_token = await runtime.tokens.idToken({
      user,
      tenantId: facts.tenantId,
      client: client.app,
      nonce: input.nonce,
      amr: facts.amr,
      authTime: facts.authTime,
      sessionId: facts.sessionId,
      flow: facts.flow,
    });
  }
  if (input.clientInfo || facts.flow) body.client_info = clientInfo(user, facts);
  return body;
}

/**
 * `client_info`: base64url of `{"uid","utid"}`; for user flows the uid carries the flow, as B2C's does.
 *
 * @example
 * ```ts
 * clientInfo(user, facts); // 'eyJ1aWQiOi...'
 * ```
 */
export function clientInfo(user: User, facts: Pick<SignInFacts, 'tenantId' | 'flow'>): string {
  const uid = facts.flow ? `${user.oid}-${facts.flow.toLowerCase()}` : user.oid;
  return Buffer.from(JSON.stringify({ uid, utid: facts.tenantId })).toString('base64url');
}
