import type { AuthenticationResult } from '@azure/msal-node';
import { InvalidCallError, NoSignedInUserError } from '../errors';
import type { AcquireTokenOptions } from '../options/downstream-apis.section';
import type { IdentityWebOptions } from '../options/identity-web.options';
import type { AccessToken } from '../token-cache/access-token';
import { HotTokenIndex } from '../token-cache/hot-token.index';
import type { PartitionedTokenCache } from '../token-cache/partitioned-token-cache';
import {
  appPartitionKey,
  oboPartitionKey,
  oboPartitionLifetimeSeconds,
  userCacheKey,
} from '../token-cache/partition-keys';
import type { Authorities } from './authorities';
import type { MsalClientFactory } from './msal-client.factory';
import { MsalPartitionRunner } from './msal-partition.runner';
import { msalScopes } from './scopes';
import { currentRequestContext } from './request-context';
import type { SignedInUser } from './signed-in-user';
import { SingleFlight, type Flight } from './single-flight';
import type { AppTokenOptions, TokenRequestOptions, UserTokenOptions } from './token-request.options';
import { requestUserToken } from './user-token.request';

export type { AppTokenOptions, TokenRequestOptions, UserTokenOptions } from './token-request.options';

/**
 * Gets access tokens: for the signed-in user (from the cache, refreshed with the refresh token
 * when needed), for the app itself (client credentials, per tenant), and on behalf of the caller
 * of a web API (OBO). The sign-in part redeems the sign-in code, so the user's refresh token is
 * in the cache from the first moment.
 *
 * Cache hits are answered from an in-process index without entering MSAL. Misses load only the
 * one cache partition they need into a short-lived MSAL client, and concurrent misses for the
 * same token share one request to the identity provider. When the user must interact (nothing
 * cached, consent missing, MFA or other claims demanded) it throws {@link ChallengeUserException};
 * when the provider is unreachable, an {@link IdentityProviderUnavailableError}.
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
export class TokenAcquisitionService {
  private readonly flights = new SingleFlight<AccessToken>();
  private readonly azureAd: IdentityWebOptions['azureAd'];
  private readonly runner: MsalPartitionRunner;

  constructor(
    options: Pick<IdentityWebOptions, 'azureAd'>,
    private readonly authorities: Authorities,
    clients: MsalClientFactory,
    private readonly cache: PartitionedTokenCache,
    private readonly hotIndex: HotTokenIndex,
  ) {
    this.azureAd = options.azureAd;
    this.runner = new MsalPartitionRunner(clients, cache);
    // A new sign-in or a removed user: requests in flight for that partition must not write back.
    cache.onEvict((partition) => this.flights.discardPartition(partition));
  }

  /** Clock in milliseconds, for token expiry fallbacks and on-behalf-of partition lifetimes. */
  protected now(): number {
    return Date.now();
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
        new InvalidCallError(
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
      throw new NoSignedInUserError(
        'getAccessTokenForUser needs a signed-in user: call it while serving a signed-in request, or pass options.user.',
      );
    }
    const userFlow = this.authorities.userFlow(options.userFlow ?? user.userFlow);
    const subKey = HotTokenIndex.subKey(scopes, '', options.tenant ?? '', userFlow);
    const partition = userCacheKey(user.homeAccountId);
    const hit = this.cached(partition, subKey, options);
    if (hit) return hit;
    return this.acquireOnce(partition, subKey, options, async (flight) => {
      const result = await requestUserToken(this.runner, this.authorities, flight, [...scopes], {
        ...options,
        userFlow,
      });
      return this.remember(flight, subKey, result);
    });
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
    const tenant = this.authorities.appTokenTenant(options.tenant);
    const partition = appPartitionKey(this.azureAd.clientId, tenant);
    const subKey = HotTokenIndex.subKey([scope], '', tenant, '');
    const hit = this.cached(partition, subKey, options);
    if (hit) return hit;
    const claims = options.claims || undefined;
    return this.acquireOnce(partition, subKey, options, async (flight) => {
      const authority = this.authorities.resolve({ tenant });
      const request = { kind: 'app', authority, scopes: [scope], claims } as const;
      const result = await this.runner.run(flight, request, undefined, (client) =>
        client.acquireTokenByClientCredential({
          scopes: [scope],
          // MSAL skips its cache itself when claims are present; say so for older versions too.
          skipCache: (options.forceRefresh ?? false) || claims !== undefined,
          claims,
          correlationId: options.correlationId,
        }),
      );
      return this.remember(flight, subKey, result);
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
    const userFlow = this.authorities.userFlow(options.userFlow);
    const subKey = HotTokenIndex.subKey(scopes, '', options.tenant ?? '', userFlow);
    const hit = this.cached(partition, subKey, options);
    if (hit) return hit;
    return this.acquireOnce(partition, subKey, options, async (flight) => {
      const authority = this.authorities.resolve({ tenant: options.tenant, userFlow });
      const request = { kind: 'obo', authority, scopes, userFlow, claims: options.claims } as const;
      const ttlSeconds = oboPartitionLifetimeSeconds(userAssertion, this.now());
      const result = await this.runner.run(flight, request, ttlSeconds, (client) =>
        client.acquireTokenOnBehalfOf({
          oboAssertion: userAssertion,
          // As the token is stored (Graph's scopes bare), or MSAL misses it and asks again.
          scopes: msalScopes(scopes),
          skipCache: options.forceRefresh ?? false,
          claims: options.claims || undefined,
          correlationId: options.correlationId,
        }),
      );
      return this.remember(flight, subKey, result);
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
  removeUser(user: SignedInUser): Promise<void> {
    return this.cache.remove(userCacheKey(user.homeAccountId));
  }

  // ---- Internals --------------------------------------------------------------------------

  /** A valid cached token, unless the call demands a new one (claims; a forced refresh drops it: a resource refused it). */
  private cached(
    partition: string,
    subKey: string,
    options: { claims?: string; forceRefresh?: boolean },
  ): AccessToken | undefined {
    if (options.forceRefresh) return void this.hotIndex.delete(partition, subKey);
    return options.claims ? undefined : this.hotIndex.get(partition, subKey);
  }

  /** Starts the token request, or joins the identical one in flight (same partition, token, claims). */
  private acquireOnce(
    partition: string,
    subKey: string,
    options: { claims?: string; forceRefresh?: boolean },
    start: (flight: Flight<AccessToken>) => Promise<AccessToken>,
  ): Promise<AccessToken> {
    const key = `${partition}\n${subKey}\n${options.claims ?? ''}\n${options.forceRefresh ? 1 : 0}`;
    return this.flights.run(key, partition, start);
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
    return this.hotIndex.set(
      flight.partition,
      subKey,
      token,
      this.cache.hotRenewal(result.refreshOn, this.now()),
    );
  }
}
