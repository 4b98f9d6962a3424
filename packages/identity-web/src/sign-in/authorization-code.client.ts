import type {
  AuthenticationResult,
  ConfidentialClientApplication,
  PublicClientApplication,
} from '@azure/msal-node';
import { SignInRefusedError } from '../errors';
import type { IdentityWebOptions } from '../options/identity-web.options';
import type { Authorities } from '../token-acquisition/authorities';
import type { NetworkObservation } from '../token-acquisition/idp-http.client';
import type { MsalClientFactory } from '../token-acquisition/msal-client.factory';
import { toIdentityWebError } from '../token-acquisition/msal-error.mapper';
import type { SignedInUser } from '../token-acquisition/signed-in-user';
import type { PartitionedTokenCache } from '../token-cache/partitioned-token-cache';
import { userPartitionKey } from '../token-cache/partition-keys';

/** Parameters of the sign-in redirect; `state`, `nonce` and the PKCE challenge are the caller's. */
export interface AuthorizationCodeUrlParameters {
  redirectUri: string;
  scopes: string[];
  state: string;
  nonce: string;
  /** S256 PKCE challenge. */
  codeChallenge: string;
  prompt?: string;
  loginHint?: string;
  domainHint?: string;
  claims?: string;
  userFlow?: string;
  responseMode?: 'query' | 'form_post';
}

/** Parameters of the code redemption at the sign-in callback. */
export interface RedeemAuthorizationCodeParameters {
  code: string;
  redirectUri: string;
  scopes: string[];
  codeVerifier: string;
  nonce: string;
  userFlow?: string;
  /** Validates the ID token (signature, issuer, audience, lifetime); rejects to refuse the sign-in. */
  validateIdToken: (idToken: string) => Promise<void>;
}

/**
 * The identity provider's half of a sign-in, through MSAL: the authorize URL (the caller brings
 * `state`, `nonce` and the PKCE challenge) and the code's redemption, whose tokens are kept in the
 * user's cache partition only once the caller has validated the ID token, so the user's refresh
 * token is cached from the first moment.
 *
 * @example
 * ```ts
 * const url = await client.getAuthorizationCodeUrl({ redirectUri, scopes, state, nonce, codeChallenge });
 * const { user } = await client.redeem({ code, redirectUri, scopes, codeVerifier, nonce,
 *   validateIdToken: (idToken) => validator.validate(idToken, { nonce }) });
 * ```
 */
export class AuthorizationCodeClient {
  constructor(
    private readonly options: Pick<IdentityWebOptions, 'azureAd'>,
    private readonly authorities: Authorities,
    private readonly clients: MsalClientFactory,
    private readonly cache: PartitionedTokenCache,
  ) {}

  /** The URL of the identity provider's authorize endpoint for a sign-in or a challenge. */
  async getAuthorizationCodeUrl(p: AuthorizationCodeUrlParameters): Promise<string> {
    const userFlow = this.authorities.userFlow(p.userFlow) || undefined;
    const authority = this.authorities.resolve({ userFlow });
    const network: NetworkObservation = { requests: 0 };
    try {
      const client = await this.clients.createForSignIn(authority, network);
      return await client.getAuthCodeUrl({
        redirectUri: p.redirectUri,
        scopes: p.scopes,
        state: p.state,
        nonce: p.nonce,
        codeChallenge: p.codeChallenge,
        codeChallengeMethod: 'S256',
        prompt: p.prompt,
        loginHint: p.loginHint,
        domainHint: p.domainHint,
        claims: p.claims,
        responseMode: p.responseMode ?? this.options.azureAd.responseMode ?? 'query',
      });
    } catch (error) {
      throw toIdentityWebError(error, { scopes: p.scopes, authority, userFlow, network });
    }
  }

  /**
   * Redeems the authorization code (with the PKCE verifier and the nonce), lets the caller
   * validate the ID token, and only then stores the user's tokens in their partition.
   */
  async redeem(p: RedeemAuthorizationCodeParameters): Promise<{ user: SignedInUser; idToken: string }> {
    const userFlow = this.authorities.userFlow(p.userFlow) || undefined;
    const authority = this.authorities.resolve({ userFlow });
    const network: NetworkObservation = { requests: 0 };
    let result: AuthenticationResult;
    let client: ConfidentialClientApplication | PublicClientApplication;
    try {
      client = await this.clients.createForSignIn(authority, network);
      result = await client.acquireTokenByCode({
        code: p.code,
        redirectUri: p.redirectUri,
        scopes: p.scopes,
        codeVerifier: p.codeVerifier,
        nonce: p.nonce,
      });
    } catch (error) {
      const mapped = toIdentityWebError(error, {
        scopes: p.scopes,
        authority,
        userFlow,
        network,
        kind: 'code',
      });
      if (mapped.code === 'idp_unavailable') throw mapped;
      const hint =
        this.options.azureAd.clientCredentials.length === 0
          ? ' The app has no client credential, so it redeemed the code as a public client: ' +
            'allow public client flows in its app registration, or configure ClientCredentials.'
          : '';
      throw new SignInRefusedError(`The authorization code was refused: ${mapped.message}${hint}`, {
        cause: error,
      });
    }
    if (!result.account || !result.idToken) {
      throw new SignInRefusedError(`The token response of ${authority} carried no ID token.`);
    }
    await p.validateIdToken(result.idToken);

    const account = result.account;
    // The partition key: never empty, or two users would share one token cache partition.
    if (typeof account.homeAccountId !== 'string' || account.homeAccountId.trim().length === 0) {
      throw new SignInRefusedError('Sign-in refused: the answer names no stable user identifier.');
    }
    const user: SignedInUser = {
      homeAccountId: userPartitionKey(account.homeAccountId),
      tenantId: account.tenantId,
      localAccountId: account.localAccountId,
      username: account.username,
      name: account.name,
      environment: account.environment,
      ...(userFlow ? { userFlow } : {}),
    };
    await this.cache.storeSignIn(user.homeAccountId, client.getTokenCache().serialize());
    return { user, idToken: result.idToken };
  }
}
