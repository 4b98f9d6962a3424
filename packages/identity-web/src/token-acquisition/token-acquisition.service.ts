import type { AccountInfo, AuthenticationResult, ConfidentialClientApplication } from '@azure/msal-node';
import { Injectable, Logger } from '@nestjs/common';
import { ChallengeUserException, IdentityWebError, InvalidConfigurationError } from '../errors';
import { currentRequestContext } from './request-context';
import type { AcquireTokenOptions } from '../options/downstream-apis.section';
import { IdentityWebOptions } from '../options/identity-web.options';
import type { SignedInUser } from './signed-in-user';
import { HotTokenIndex } from '../token-cache/hot-token.index';
import { mergePartitions, withoutIdTokens } from '../token-cache/merge-partitions';
import { PartitionCachePlugin, processPartitionLock } from '../token-cache/partition-cache.plugin';
import { appPartitionKey, oboPartitionKey, userPartitionKey } from '../token-cache/partition-keys';
import { TokenCacheStore } from '../token-cache/token-cache.store';
import type { AccessToken } from '../token-cache/access-token';
import { authorityTenant, resolveAuthority } from './authority';
import { AuthorityMetadataCache, type AuthorityMetadata } from './authority-metadata.cache';
import { IdpHttpClient, type NetworkObservation } from './idp-http.client';
import { MsalClientFactory } from './msal-client.factory';
import { toIdentityWebError, type TokenRequestKind } from './msal-error.mapper';
import { SingleFlight, type Flight } from './single-flight';

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

/** Options of {@link TokenAcquisitionService.getAccessTokenForUser}. */
export type UserTokenOptions = AcquireTokenOptions & {
  /** The user, for background work outside a request; default: the request's signed-in user. */
  user?: SignedInUser;
};

/** Options of {@link TokenAcquisitionService.getAccessTokenForApp}. */
export interface AppTokenOptions {
  tenant?: string;
  /**
   * Claims the resource demanded in a claims challenge (a JSON string, as in its
   * `WWW-Authenticate` header): sent with the request, bypassing any cached token.
   */
  claims?: string;
  forceRefresh?: boolean;
  correlationId?: string;
}

/** Options of {@link TokenAcquisitionService.getAccessToken}: whose token, and how to get it. */
export interface TokenRequestOptions {
  /** `true`: the app's own token (client credentials) for one `/.default` scope; else the user's. */
  requestAppToken?: boolean;
  /** Tenant, claims, forced refresh, correlation id (and user flow, for user tokens). */
  acquireTokenOptions?: AcquireTokenOptions;
  /** The user, for background work outside a request; default: the request's signed-in user. Ignored for app tokens. */
  user?: SignedInUser;
}

const TENANTLESS = new Set(['common', 'organizations', 'consumers']);

/**
 * Gets access tokens: for the signed-in user (from the cache, refreshed with the refresh token
 * when needed), for the app itself (client credentials, per tenant), and on behalf of the caller
 * of a web API (OBO). Also redeems the sign-in code, so the user's refresh token is cached from
 * the first moment.
 *
 * Cache hits are answered from an in-process index without entering MSAL. Misses load only the
 * one cache partition they need into a short-lived MSAL client, and concurrent misses for the
 * same token share one request to the identity provider. When the user must interact (nothing
 * cached, consent missing, MFA or other claims demanded) it throws {@link ChallengeUserException};
 * when the provider is unreachable, an `IdentityWebError` with code `idp_unavailable`.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class ProfileService {
 *   constructor(private readonly tokens: TokenAcquisitionService) {}
 *   async me() {
 *     const { accessToken } = await this.tokens.getAccessTokenForUser(['user.read']);
 *     return fetch('https://graph.microsoft.com/v1.0/me', { headers: { authorization: `Bearer ${accessToken}` } });
 *   }
 * }
 * ```
 */
@Injectable()
export class TokenAcquisitionService {
  /** Network client shared by every MSAL client; its counters show the requests sent. */
  readonly http: IdpHttpClient;
  /** Valid access tokens answered without MSAL. */
  readonly hotIndex: HotTokenIndex;
  private readonly metadata: AuthorityMetadataCache;
  private readonly clients: MsalClientFactory;
  private readonly flights = new SingleFlight<AccessToken>();
  private readonly azureAd: IdentityWebOptions['azureAd'];
  private readonly logger = new Logger('IdentityWeb:TokenAcquisition');

  constructor(
    options: IdentityWebOptions,
    private readonly store: TokenCacheStore,
  ) {
    this.azureAd = options.azureAd;
    this.http = new IdpHttpClient(options.azureAd.httpTimeoutMs ?? 10_000);
    this.metadata = new AuthorityMetadataCache(this.http);
    this.clients = new MsalClientFactory(options.azureAd, this.http, this.metadata);
    this.hotIndex = new HotTokenIndex(options.tokenCache?.hotIndexSize ?? 100_000, () => this.now());
  }

  /** Clock in milliseconds; the hot index's expiry decisions use it. */
  protected now(): number {
    return Date.now();
  }

  // ---- Sign-in ----------------------------------------------------------------------------

  /**
   * The URL of the identity provider's authorize endpoint for a sign-in or a challenge.
   *
   * @example
   * ```ts
   * const url = await tokens.getAuthorizationCodeUrl({ redirectUri, scopes: ['openid'], state, nonce, codeChallenge });
   * ```
   */
  async getAuthorizationCodeUrl(p: AuthorizationCodeUrlParameters): Promise<string> {
    const userFlow = this.userFlowOf(p.userFlow);
    const authority = resolveAuthority(this.azureAd, { userFlow });
    const network: NetworkObservation = { requests: 0 };
    try {
      const client = await this.clients.create(authority, undefined, network);
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
        responseMode: p.responseMode ?? this.azureAd.responseMode ?? 'query',
      });
    } catch (error) {
      throw toIdentityWebError(error, { scopes: p.scopes, authority, userFlow, network });
    }
  }

  /**
   * Redeems the authorization code (with the PKCE verifier and the nonce), lets the caller
   * validate the ID token, and only then stores the user's tokens in their partition.
   *
   * @example
   * ```ts
   * const { user } = await tokens.redeemAuthorizationCode({ code, redirectUri, scopes, codeVerifier, nonce,
   *   validateIdToken: (idToken) => idTokenValidator.validate(idToken, nonce) });
   * ```
   */
  async redeemAuthorizationCode(
    p: RedeemAuthorizationCodeParameters,
  ): Promise<{ user: SignedInUser; idToken: string }> {
    const userFlow = this.userFlowOf(p.userFlow);
    const authority = resolveAuthority(this.azureAd, { userFlow });
    const network: NetworkObservation = { requests: 0 };
    let result: AuthenticationResult;
    let client: ConfidentialClientApplication;
    try {
      client = await this.clients.create(authority, undefined, network);
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
      throw new IdentityWebError('sign_in_refused', `The authorization code was refused: ${mapped.message}`, {
        cause: error,
      });
    }
    if (!result.account || !result.idToken) {
      throw new IdentityWebError(
        'sign_in_refused',
        `The token response of ${authority} carried no ID token.`,
      );
    }
    await p.validateIdToken(result.idToken);

    const account = result.account;
    const user: SignedInUser = {
      homeAccountId: userPartitionKey(account.homeAccountId),
      tenantId: account.tenantId,
      localAccountId: account.localAccountId,
      username: account.username,
      name: account.name,
      environment: account.environment,
      ...(userFlow ? { userFlow } : {}),
    };
    const partition = user.homeAccountId;
    this.flights.discardPartition(partition);
    this.hotIndex.evictPartition(partition);
    const fresh = client.getTokenCache().serialize();
    await processPartitionLock.run(partition, async () => {
      const stored = await this.readPartition(partition);
      await this.writePartition(partition, withoutIdTokens(mergePartitions(stored, fresh)));
    });
    return { user, idToken: result.idToken };
  }

  /**
   * The OpenID Connect discovery document of the authority (of a user flow, for B2C), fetched
   * once and cached.
   *
   * @example
   * ```ts
   * const { jwks_uri, issuer } = await tokens.getAuthorityMetadata();
   * ```
   */
  async getAuthorityMetadata(userFlow?: string): Promise<AuthorityMetadata> {
    const authority = resolveAuthority(this.azureAd, { userFlow: this.userFlowOf(userFlow) });
    return (await this.metadata.get(authority)).metadata;
  }

  // ---- Tokens -----------------------------------------------------------------------------

  /**
   * An access token for the user or, with `options.requestAppToken`, for the app itself: the one
   * entry point that every caller choosing between the two (`AuthorizationHeaderProvider`, the
   * Graph and Azure integrations) goes through, so the token options (tenant, claims, forced
   * refresh, correlation id) reach both kinds the same way. An app token is for exactly one
   * resource's `/.default` scope.
   *
   * @throws ChallengeUserException when the user must interact (nothing cached, consent, MFA).
   * @throws IdentityWebError `invalid_call` for an app token asked for other than one `/.default`
   *   scope; `no_user`, `idp_unavailable`, `idp_error` as the two methods it calls.
   *
   * @example
   * ```ts
   * const mine = await tokens.getAccessToken(['api://todo/access_as_user']);
   * const app = await tokens.getAccessToken(['api://todo/.default'], { requestAppToken: true });
   * const retried = await tokens.getAccessToken(['api://todo/.default'], {
   *   requestAppToken: true,
   *   acquireTokenOptions: { claims },
   * });
   * ```
   */
  getAccessToken(scopes: readonly string[], options?: TokenRequestOptions): Promise<AccessToken> {
    // Not async, and no object built unless token options are given: the user branch is the hot
    // path of every downstream call and must cost no more than getAccessTokenForUser itself.
    if (!options?.requestAppToken) {
      const acquire = options?.acquireTokenOptions;
      // `options` already has the shape of UserTokenOptions (a `user`, no token options).
      return this.getAccessTokenForUser(scopes, acquire ? { ...acquire, user: options?.user } : options);
    }
    if (scopes.length !== 1 || !scopes[0].endsWith('/.default')) {
      return Promise.reject(
        new IdentityWebError(
          'invalid_call',
          `An app token is requested for exactly one scope, a resource's "/.default" scope (such as "https://graph.microsoft.com/.default"); got ${scopes.length === 0 ? 'none' : `"${scopes.join(' ')}"`}.`,
        ),
      );
    }
    return this.getAccessTokenForApp(scopes[0], options.acquireTokenOptions);
  }

  /**
   * An access token for the signed-in user (or `options.user`), from the cache when valid,
   * otherwise refreshed with the cached refresh token.
   *
   * @throws ChallengeUserException when the user must interact (nothing cached, consent, MFA).
   * @throws IdentityWebError `no_user` outside a request without `options.user`; `idp_unavailable`, `idp_error`.
   *
   * @example
   * ```ts
   * const token = await tokens.getAccessTokenForUser(['api://todo/access_as_user']);
   * ```
   */
  async getAccessTokenForUser(
    scopes: readonly string[],
    options: UserTokenOptions = {},
  ): Promise<AccessToken> {
    const user = options.user ?? currentRequestContext()?.user;
    if (!user) {
      throw new IdentityWebError(
        'no_user',
        'getAccessTokenForUser needs a signed-in user: call it while serving a signed-in request, or pass options.user.',
      );
    }
    const userFlow = this.userFlowOf(options.userFlow ?? user.userFlow);
    const tenant = options.tenant ?? '';
    const claims = options.claims ?? '';
    const subKey = HotTokenIndex.subKey(scopes, '', tenant, userFlow);
    if (!options.forceRefresh && !claims) {
      // Sessions hold the partition key itself (lower-cased at sign-in): look it up as is, so a
      // hit neither scans nor copies the id; lower-case it only when that misses.
      const hit = this.hotIndex.get(user.homeAccountId, subKey);
      if (hit) return hit;
    }
    const partition = userPartitionKey(user.homeAccountId);
    if (partition !== user.homeAccountId && !options.forceRefresh && !claims) {
      const hit = this.hotIndex.get(partition, subKey);
      if (hit) return hit;
    }
    const flightKey = `${partition}\n${subKey}\n${claims}\n${options.forceRefresh ? 1 : 0}`;
    return this.flights.run(flightKey, partition, (flight) =>
      this.acquireForUser(flight, [...scopes], { ...options, userFlow }, subKey),
    );
  }

  /**
   * An access token for the app itself (client credentials) in the configured tenant or
   * `options.tenant`. `scope` is the resource's `.default` scope. With `options.claims` (the
   * resource answered a claims challenge) a new token is requested with those claims, never
   * served from the cache.
   *
   * @example
   * ```ts
   * const token = await tokens.getAccessTokenForApp('https://graph.microsoft.com/.default');
   * const retried = await tokens.getAccessTokenForApp('https://graph.microsoft.com/.default', { claims });
   * ```
   */
  async getAccessTokenForApp(scope: string, options: AppTokenOptions = {}): Promise<AccessToken> {
    const configuredTenant = authorityTenant(resolveAuthority(this.azureAd));
    const tenant = options.tenant ?? configuredTenant;
    if (TENANTLESS.has(tenant.toLowerCase())) {
      throw new InvalidConfigurationError(
        'AzureAd:TenantId',
        `is "${tenant}": an app token needs a specific tenant; configure one or pass options.tenant.`,
      );
    }
    const partition = appPartitionKey(this.azureAd.clientId, tenant);
    const claims = options.claims ?? '';
    const subKey = HotTokenIndex.subKey([scope], '', tenant, '');
    if (!options.forceRefresh && !claims) {
      const hit = this.hotIndex.get(partition, subKey);
      if (hit) return hit;
    }
    const flightKey = `${partition}\n${subKey}\n${claims}\n${options.forceRefresh ? 1 : 0}`;
    return this.flights.run(flightKey, partition, async (flight) => {
      const authority = resolveAuthority(this.azureAd, { tenant });
      return this.withPartition(flight, 'app', authority, [scope], undefined, undefined, async (client) =>
        client.acquireTokenByClientCredential({
          scopes: [scope],
          // MSAL skips its cache itself when claims are present; say so for older versions too.
          skipCache: (options.forceRefresh ?? false) || claims !== '',
          claims: claims || undefined,
          correlationId: options.correlationId,
        }),
      ).then((result) => this.remember(flight, subKey, result));
    });
  }

  /**
   * An access token for a downstream API on behalf of the caller of this web API, whose bearer
   * token is `userAssertion`. Each incoming token has its own partition (by hash).
   *
   * @example
   * ```ts
   * const token = await tokens.getAccessTokenOnBehalfOf(['api://downstream/.default'], incomingBearerToken);
   * ```
   */
  async getAccessTokenOnBehalfOf(
    scopes: string[],
    userAssertion: string,
    options: AcquireTokenOptions = {},
  ): Promise<AccessToken> {
    const partition = oboPartitionKey(userAssertion);
    const tenant = options.tenant ?? '';
    const claims = options.claims ?? '';
    const userFlow = this.userFlowOf(options.userFlow);
    const subKey = HotTokenIndex.subKey(scopes, '', tenant, userFlow);
    if (!options.forceRefresh && !claims) {
      const hit = this.hotIndex.get(partition, subKey);
      if (hit) return hit;
    }
    const flightKey = `${partition}\n${subKey}\n${claims}\n${options.forceRefresh ? 1 : 0}`;
    return this.flights.run(flightKey, partition, async (flight) => {
      const authority = resolveAuthority(this.azureAd, { tenant: options.tenant, userFlow });
      const ttlSeconds = assertionLifetimeSeconds(userAssertion, this.now());
      return this.withPartition(flight, 'obo', authority, scopes, userFlow, ttlSeconds, async (client) =>
        client.acquireTokenOnBehalfOf({
          oboAssertion: userAssertion,
          scopes,
          skipCache: options.forceRefresh ?? false,
          claims: claims || undefined,
          correlationId: options.correlationId,
        }),
      ).then((result) => this.remember(flight, subKey, result));
    });
  }

  /**
   * Forgets everything cached for the user: their partition and their tokens in the hot index.
   * Token requests for the user still in progress are not written back.
   *
   * @example
   * ```ts
   * await tokens.removeUser(req.user); // at sign-out
   * ```
   */
  async removeUser(user: SignedInUser): Promise<void> {
    const partition = userPartitionKey(user.homeAccountId);
    this.flights.discardPartition(partition);
    this.hotIndex.evictPartition(partition);
    try {
      await this.store.remove(partition);
    } catch (error) {
      throw new IdentityWebError('cache_unavailable', 'The token cache store could not remove a partition.', {
        cause: error,
      });
    }
  }

  // ---- Internals --------------------------------------------------------------------------

  private async acquireForUser(
    flight: Flight<AccessToken>,
    scopes: string[],
    options: UserTokenOptions & { userFlow: string },
    subKey: string,
  ): Promise<AccessToken> {
    const userFlow = options.userFlow || undefined;
    const authority = resolveAuthority(this.azureAd, { tenant: options.tenant, userFlow });
    const result = await this.withPartition(
      flight,
      'user',
      authority,
      scopes,
      userFlow,
      undefined,
      async (client, loaded) => {
        if (!loaded) {
          throw new ChallengeUserException(
            scopes,
            `Nothing is cached for the user at ${authority}: they must sign in again.`,
            { msalErrorCode: 'no_tokens_found', userFlow },
          );
        }
        const account = await findAccount(client, flight.partition);
        if (!account) {
          throw new ChallengeUserException(
            scopes,
            `The user's account is not in their cache partition: they must sign in again at ${authority}.`,
            { msalErrorCode: 'no_account_found', userFlow },
          );
        }
        return client.acquireTokenSilent({
          account,
          scopes,
          claims: options.claims || undefined,
          forceRefresh: options.forceRefresh ?? false,
          correlationId: options.correlationId,
        });
      },
    );
    return this.remember(flight, subKey, result);
  }

  /** Runs `operation` on a fresh MSAL client holding only `flight.partition`, writing it back when changed. */
  private async withPartition(
    flight: Flight<AccessToken>,
    kind: TokenRequestKind,
    authority: string,
    scopes: readonly string[],
    userFlow: string | undefined,
    ttlSeconds: number | undefined,
    operation: (
      client: ConfidentialClientApplication,
      loaded: string | undefined,
    ) => Promise<AuthenticationResult | null>,
  ): Promise<AuthenticationResult> {
    const network: NetworkObservation = { requests: 0 };
    try {
      const loaded = await this.readPartition(flight.partition);
      const plugin = new PartitionCachePlugin(this.store, flight.partition, {
        loaded,
        ttlSeconds,
        isDiscarded: () => flight.discarded,
        onWriteError: (error) => this.onWriteError(flight.partition, error),
      });
      const client = await this.clients.create(authority, plugin, network);
      if (loaded) client.getTokenCache().deserialize(loaded);
      const result = await operation(client, loaded);
      if (!result?.accessToken) {
        throw new IdentityWebError(
          'idp_error',
          `${authority} returned no access token for ${scopes.join(' ')}.`,
        );
      }
      return result;
    } catch (error) {
      throw toIdentityWebError(error, { scopes, authority, userFlow, network, kind });
    }
  }

  private remember(flight: Flight<AccessToken>, subKey: string, result: AuthenticationResult): AccessToken {
    const token: AccessToken = {
      accessToken: result.accessToken,
      expiresOn: result.expiresOn ?? new Date(this.now()),
      scopes: result.scopes,
      tokenType: result.tokenType || 'Bearer',
      ...(result.tenantId ? { tenantId: result.tenantId } : {}),
    };
    // A token got with claims or force-refresh replaces the plain entry: MSAL's own cache does
    // the same, and the old token may be the one the resource just refused.
    if (flight.discarded) return token;
    return this.hotIndex.set(flight.partition, subKey, token, result.refreshOn);
  }

  private async readPartition(partition: string): Promise<string | undefined> {
    try {
      return await this.store.get(partition);
    } catch (error) {
      throw new IdentityWebError('cache_unavailable', 'The token cache store could not be read.', {
        cause: error,
      });
    }
  }

  private async writePartition(partition: string, json: string): Promise<void> {
    try {
      await this.store.set(partition, json);
    } catch (error) {
      throw new IdentityWebError('cache_unavailable', 'The token cache store could not be written.', {
        cause: error,
      });
    }
  }

  /** Called when a refreshed partition could not be written; the token got is still returned. */
  protected onWriteError(_partition: string, error: unknown): void {
    this.logger.warn(
      `The token cache store could not be written: ${(error as Error)?.message ?? String(error)}`,
    );
  }

  private userFlowOf(userFlow: string | undefined): string {
    return userFlow ?? this.azureAd.signUpSignInPolicyId ?? '';
  }
}

/** The partition's account (there is one per partition; compared lower-cased). */
async function findAccount(
  client: ConfidentialClientApplication,
  partition: string,
): Promise<AccountInfo | null> {
  const accounts = await client.getTokenCache().getAllAccounts();
  return accounts.find((a) => a.homeAccountId.toLowerCase() === partition) ?? accounts[0] ?? null;
}

/** Seconds until a JWT's `exp` (read, not verified), so an OBO partition outlives its assertion by little. */
function assertionLifetimeSeconds(assertion: string, nowMs: number): number {
  try {
    const payload = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    if (typeof payload.exp === 'number') return Math.max(60, Math.ceil(payload.exp - nowMs / 1000) + 300);
  } catch {
    // An opaque assertion: fall through.
  }
  return 3600;
}
