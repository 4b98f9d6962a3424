import { InvalidCallError } from '../errors';
import type { IdentityWebConfiguration } from '../options/identity-web.configuration';
import type { IdentityWebOptions } from '../options/identity-web.options';
import type { AcquireTokenOptions } from '../options/downstream-apis.section';
import type { OptionsLogger } from '../options/normalize-options';
import { resolveOptions, type IdentityWebSettings } from '../options/resolve-options';
import type { AccessToken } from '../token-cache/access-token';
import {
  createTokenAcquisition,
  type TokenAcquisitionOverrides,
  type TokenAcquisitionParts,
} from '../token-acquisition/create-token-acquisition';
import type { SignedInUser } from '../token-acquisition/signed-in-user';
import type { TokenAcquisitionService } from '../token-acquisition/token-acquisition.service';
import type { AppTokenOptions, UserTokenOptions } from '../token-acquisition/token-request.options';
import type { AuthorizationHeaderProvider } from '../downstream-api/authorization-header.provider';
import { createDownstreamApi, type DownstreamApiParts } from '../downstream-api/create-downstream-api';
import type { DownstreamApiService } from '../downstream-api/downstream-api.service';

/**
 * What {@link createTokenAcquirer} takes besides the configuration: the environment, where option
 * warnings go, and collaborators built in code (a token cache store shared with the web app).
 *
 * @example
 * ```ts
 * const overrides: TokenAcquirerOverrides = { store: sharedStore, env: { ...process.env, NODE_ENV: 'production' } };
 * ```
 */
export interface TokenAcquirerOverrides extends Pick<TokenAcquisitionOverrides, 'store'> {
  /** Environment variables (`AzureAd__ClientSecret`...); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where option warnings go; Nest's `Logger` by default. */
  logger?: OptionsLogger;
}

/**
 * Token acquisition outside any request, for workers, queue consumers and scripts: tokens for the
 * app (client credentials), on behalf of the caller of an API (OBO), and for a user who signed in
 * through the web app earlier, found by home account id in the token cache store the web app
 * writes to. The same classes as in the web app do the work, so the cache, the in-process index,
 * the single flight of identical requests and the errors are the same (`ChallengeUserException`
 * when the user must come back and sign in, `IdentityProviderUnavailableError`...).
 *
 * `close()` refuses new requests, waits for those in progress (so their cache writes land) and
 * closes the connections the acquirer opened; a store the app gave is the app's to close.
 *
 * @example
 * ```ts
 * const acquirer = createTokenAcquirer(loadAppSettings(), { store: sharedStore });
 * const app = await acquirer.getTokenForApp('https://graph.microsoft.com/.default');
 * const mine = await acquirer.getTokenForUser(['User.Read'], job.homeAccountId);
 * await acquirer.downstreamApi.getForUser('GraphAPI', { relativePath: 'me', user: acquirer.user(job.homeAccountId) });
 * await acquirer.close();
 * ```
 */
export class TokenAcquirer {
  /** Token acquisition, as the web app's `TokenAcquisitionService`. */
  readonly tokens: TokenAcquisitionService;
  /** `Bearer …` values for requests you build yourself. */
  readonly authorizationHeaders: AuthorizationHeaderProvider;
  /** The named downstream APIs of the configuration; pass `user` (see {@link TokenAcquirer.user}) for a user's call. */
  readonly downstreamApi: DownstreamApiService;
  private readonly pending = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;
  /** Settles when the store is connected (a distributed store's `ready`), so a first request is not a miss. */
  private readonly storeReady: Promise<unknown>;

  constructor(
    /** The validated options. */
    readonly options: IdentityWebOptions,
    /** The configuration tree, read by key path (`DownstreamApis:TodoList:Scopes`). */
    readonly configuration: IdentityWebConfiguration,
    /** The collaborators, each built once: for front doors built on this acquirer. */
    readonly parts: TokenAcquisitionParts,
    private readonly downstream: DownstreamApiParts,
    /** The acquirer made its store (none was given): {@link TokenAcquirer.close} closes it. */
    private readonly ownsStore = false,
  ) {
    this.tokens = parts.tokens;
    this.authorizationHeaders = downstream.authorizationHeaders;
    this.downstreamApi = downstream.downstreamApi;
    const ready = (parts.cache.store as { ready?: unknown }).ready;
    this.storeReady = ready instanceof Promise ? ready.catch(() => undefined) : Promise.resolve();
  }

  /** A token for the app itself, for one resource's `/.default` scope. */
  getTokenForApp(scope: string, options?: AppTokenOptions): Promise<AccessToken> {
    return this.track(() => this.tokens.getAccessTokenForApp(scope, options));
  }

  /**
   * A token for a user who signed in through the web app, by home account id (`SignedInUser
   * .homeAccountId`, which the app keeps with the job) or as the user itself. Throws
   * `ChallengeUserException` when the store has nothing for them (signed out, never signed in,
   * another store): they must sign in to the web app again.
   */
  getTokenForUser(
    scopes: readonly string[],
    account: string | SignedInUser,
    options?: Omit<UserTokenOptions, 'user'>,
  ): Promise<AccessToken> {
    const user = typeof account === 'string' ? this.user(account) : account;
    return this.track(() => this.tokens.getAccessTokenForUser(scopes, { ...options, user }));
  }

  /** A token on behalf of the caller of an API, whose bearer token is `userAssertion`. */
  getTokenOnBehalfOf(
    scopes: string[],
    userAssertion: string,
    options?: AcquireTokenOptions,
  ): Promise<AccessToken> {
    return this.track(() => this.tokens.getAccessTokenOnBehalfOf(scopes, userAssertion, options));
  }

  /**
   * The user with this home account id (`<oid>.<tid>`), as token acquisition and the downstream API
   * options' `user` take it; only the id (and the user flow, for B2C) finds the user's tokens.
   */
  user(homeAccountId: string, userFlow?: string): SignedInUser {
    const [localAccountId = '', tenantId = ''] = homeAccountId.split('.');
    return { homeAccountId, localAccountId, tenantId, username: '', environment: '', userFlow };
  }

  /** Forgets everything cached for the user (their partition in the store, their hot tokens). */
  removeUser(account: string | SignedInUser): Promise<void> {
    const user = typeof account === 'string' ? this.user(account) : account;
    return this.track(() => this.tokens.removeUser(user));
  }

  /**
   * Refuses new requests, waits for those in progress, then closes the downstream API's kept-alive
   * connections and a store the acquirer created itself (one with a `close` method). Calling it
   * again returns the same promise.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.pending]);
      await this.downstream.close();
      if (this.ownsStore) await closeStore(this.parts.cache.store);
    })();
    return this.closing;
  }

  private track<T>(start: () => Promise<T>): Promise<T> {
    if (this.closing) {
      return Promise.reject(new InvalidCallError('The token acquirer is closed: create a new one.'));
    }
    // A worker asks at once, where a web app's first request comes long after start-up: wait
    // for the store's connection, or the first read times out and the user looks signed out.
    const work = this.storeReady.then(start);
    this.pending.add(work);
    const forget = () => this.pending.delete(work);
    work.then(forget, forget);
    return work;
  }
}

/**
 * A {@link TokenAcquirer} from the configuration `IdentityWebModule.forRoot` takes (camelCase
 * options, or `loadAppSettings()`'s appsettings object; `AzureAd__ClientSecret`-style environment
 * variables override), validated the same way: a bad or missing key throws `OptionsValidationError`
 * naming the key path. No session secret is needed. Give the web app's token cache store (in
 * `tokenCache.store` or as `overrides.store`) to reach its users' tokens.
 *
 * @example
 * ```ts
 * const acquirer = createTokenAcquirer({ ...loadAppSettings(), TokenCache: { Store: sharedStore } });
 * const token = await acquirer.getTokenForApp('api://todo-api/.default');
 * ```
 */
export function createTokenAcquirer(
  settings: IdentityWebSettings,
  overrides: TokenAcquirerOverrides = {},
): TokenAcquirer {
  const resolved = resolveOptions(settings, { ...overrides, withoutSessions: true });
  return createTokenAcquirerFrom(resolved.options, resolved.configuration, overrides);
}

/**
 * A {@link TokenAcquirer} over options already resolved: what the Express entry point builds on.
 *
 * @example
 * ```ts
 * const acquirer = createTokenAcquirerFrom(options, configuration, { store });
 * ```
 */
export function createTokenAcquirerFrom(
  options: IdentityWebOptions,
  configuration: IdentityWebConfiguration,
  overrides: Pick<TokenAcquirerOverrides, 'store'> = {},
): TokenAcquirer {
  const parts = createTokenAcquisition(options, { store: overrides.store });
  const ownsStore = overrides.store === undefined && options.tokenCache.store === undefined;
  return new TokenAcquirer(
    options,
    configuration,
    parts,
    createDownstreamApi(options, parts.tokens),
    ownsStore,
  );
}

async function closeStore(store: object): Promise<void> {
  const close = (store as { close?: () => unknown }).close;
  if (typeof close === 'function') await close.call(store);
}
