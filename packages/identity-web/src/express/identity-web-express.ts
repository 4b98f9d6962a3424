import type { Type } from '@nestjs/common';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { AuthorizeForScopesFilter, routeFilterClass } from '../consent/authorize-for-scopes.filter';
import type { AuthorizeForScopesOptions } from '../consent/authorize-for-scopes.options';
import { findChallenge } from '../consent/challenge-in-chain';
import { IdentityWebError, InvalidConfigurationError, NoSignedInUserError } from '../errors';
import { IdentityWebErrorFilter } from '../identity-web-error.filter';
import type { IdentityWebConfiguration } from '../options/identity-web.configuration';
import type { IdentityWebOptions } from '../options/identity-web.options';
import type { OptionsLogger } from '../options/normalize-options';
import { resolveOptions, type IdentityWebSettings } from '../options/resolve-options';
import { AccountRoutesMiddleware } from '../sign-in/account-routes.middleware';
import { AuthorizationCodeClient } from '../sign-in/authorization-code.client';
import { refuseCrossOriginRequest } from '../sign-in/cross-origin.guard';
import { EntraIdStrategy } from '../sign-in/entra-id.strategy';
import { IdTokenValidator } from '../sign-in/id-token.validator';
import { PendingFormPostStore } from '../sign-in/pending-form-post.store';
import { PendingSignInStore } from '../sign-in/pending-sign-in.store';
import { RequestContextMiddleware } from '../sign-in/request-context.middleware';
import { ResubmitHandler } from '../sign-in/resubmit.handler';
import { refuseGeneratedSecretWhenShared, SessionStoreProvider } from '../sign-in/session-store.provider';
import { SessionMiddleware } from '../sign-in/session.middleware';
import { SignInHandler } from '../sign-in/sign-in.handler';
import { sessionUser } from '../sign-in/sign-in-session';
import { SignOutHandler } from '../sign-in/sign-out.handler';
import type { SignedInUser } from '../token-acquisition/signed-in-user';
import type { TokenAcquisitionService } from '../token-acquisition/token-acquisition.service';
import type { TokenCacheStore } from '../token-cache/token-cache.store';
import type { AuthorizationHeaderProvider } from '../downstream-api/authorization-header.provider';
import type { DownstreamApiService } from '../downstream-api/downstream-api.service';
import { createTokenAcquirerFrom, type TokenAcquirer } from '../worker/token-acquirer';
import { expressArgumentsHost } from './express-arguments-host';

/**
 * What {@link createIdentityWeb} takes besides the configuration.
 *
 * @example
 * ```ts
 * const overrides: IdentityWebExpressOverrides = { signInStrategy: ContosoOnlyStrategy, store: redisTokenStore };
 * ```
 */
export interface IdentityWebExpressOverrides {
  /** A subclass of `EntraIdStrategy` whose `validate` accepts, enriches or refuses users at sign-in. */
  signInStrategy?: Type<EntraIdStrategy>;
  /** The token cache store, built in code (else `tokenCache.store`, else in memory). */
  store?: TokenCacheStore;
  /** Environment variables (`AzureAd__ClientSecret`...); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where option warnings go; Nest's `Logger` by default (it prints to the console without Nest). */
  logger?: OptionsLogger;
}

/**
 * Where {@link IdentityWebExpress.requireSignIn} lets anonymous users through.
 *
 * @example
 * ```ts
 * app.use(identity.requireSignIn({ allowAnonymous: ['/', /^\/public\//] }));
 * ```
 */
export interface RequireSignInOptions {
  /** Paths open to anonymous users: a string is one path (any case, a trailing slash ignored), a RegExp tests the path. */
  allowAnonymous?: ReadonlyArray<string | RegExp>;
}

/** Request → the consent filter of its `authorizeForScopes(...)` middleware. */
type RouteFilters = WeakMap<Request, AuthorizeForScopesFilter>;

/**
 * Microsoft Entra ID sign-in and downstream API calls for a plain Express app (no Nest app): the
 * same classes as `IdentityWebModule`, built once from the same configuration, installed as Express
 * middleware. Mount, in this order: body parsers, `middleware()` (session, request context, account
 * routes), `requireSignIn()` where pages need a user, your routes (with `authorizeForScopes(...)`
 * where a call may need consent), then `errorHandler()`.
 *
 * @example
 * ```ts
 * const identity = createIdentityWeb(loadAppSettings());
 * app.use(express.urlencoded({ extended: false }), identity.middleware());
 * app.use(identity.requireSignIn({ allowAnonymous: ['/'] }));
 * app.get('/mail', identity.authorizeForScopes({ scopes: ['Mail.Read'] }), async (_req, res) => {
 *   res.json(await identity.downstreamApi.getForUser('GraphAPI', { relativePath: 'me/messages' }));
 * });
 * app.use(identity.errorHandler());
 * ```
 */
export class IdentityWebExpress {
  /** Calls named downstream APIs as the current request's user (or for the app). */
  readonly downstreamApi: DownstreamApiService;
  /** `Bearer …` values for requests you build yourself. */
  readonly authorizationHeaders: AuthorizationHeaderProvider;
  /** Tokens for the current request's user, for the app, on behalf of a caller. */
  readonly tokens: TokenAcquisitionService;
  private readonly signInMiddleware: RequestHandler;
  private readonly routeFilters: RouteFilters = new WeakMap();
  private readonly sessionStore: SessionStoreProvider | undefined;

  constructor(
    /** The token acquisition core this front door is built on (shared with workers in-process). */
    readonly acquirer: TokenAcquirer,
    private readonly errorFilter: IdentityWebErrorFilter,
    private readonly formPosts: PendingFormPostStore,
    middleware: {
      session: SessionMiddleware;
      context: RequestContextMiddleware;
      accountRoutes: AccountRoutesMiddleware;
      /** The session store the configuration opened, closed with the rest. */
      sessionStore?: SessionStoreProvider;
    },
  ) {
    this.sessionStore = middleware.sessionStore;
    this.downstreamApi = acquirer.downstreamApi;
    this.authorizationHeaders = acquirer.authorizationHeaders;
    this.tokens = acquirer.tokens;
    const { session, context, accountRoutes } = middleware;
    // After the account routes (sign-out has its own same-origin rule), before the app's routes:
    // the module's cross-site request protection (CrossOriginGuard).
    const protect = (req: Request, next: NextFunction): void => {
      try {
        refuseCrossOriginRequest(req, this.options);
      } catch (err) {
        return next(err);
      }
      next();
    };
    this.signInMiddleware = (req, res, next) =>
      session.use(req, res, (err?: unknown) => {
        if (err) return next(err);
        context.use(req, res, (err?: unknown) =>
          err
            ? next(err)
            : accountRoutes.use(req, res, (err?: unknown) => (err ? next(err) : protect(req, next))),
        );
      });
  }

  /** The validated options. */
  get options(): IdentityWebOptions {
    return this.acquirer.options;
  }

  /** The configuration tree, read by key path. */
  get configuration(): IdentityWebConfiguration {
    return this.acquirer.configuration;
  }

  /**
   * The session (cookie `iw.sid`, never tokens), the request context that tells the services who
   * the user is, and the account routes (`/account/signin`, `/account/signout`, `/signin-oidc`...).
   * Then the module's cross-site request protection: a signed-in POST, PUT, PATCH or DELETE that
   * the browser says another origin sent is refused with 403 (`cross_origin_request`) before your
   * routes run (`IdentityWeb:TrustedOrigins`, `IdentityWeb:CrossOriginProtection: false`).
   * Mount it once, before your routes and after your body parsers.
   */
  middleware(): RequestHandler {
    return this.signInMiddleware;
  }

  /**
   * Requires a signed-in user, except on `allowAnonymous` paths: browser navigations are sent to
   * sign in and come back, other callers get 401 JSON with a `signInUrl` (through `errorHandler()`).
   */
  requireSignIn(options: RequireSignInOptions = {}): RequestHandler {
    const open = (options.allowAnonymous ?? []).map((path) =>
      typeof path === 'string' ? normalizePath(path) : path,
    );
    return (req, _res, next) => {
      if (sessionUser(req)) return next();
      const path = normalizePath(req.path);
      if (open.some((p) => (typeof p === 'string' ? p === path : p.test(req.path)))) return next();
      next(new NoSignedInUserError('Sign-in required.'));
    };
  }

  /**
   * Marks the routes after it as able to send the user through consent or conditional access:
   * a `ChallengeUserException` raised by their handlers (or the `cause` of their error) becomes
   * a 302 to the challenge route for page loads, a kept-and-resent form post, or a 401 JSON with
   * `challengeUrl` for `fetch` calls, asking for these scopes too. A string is a configuration
   * key path (`DownstreamApis:TodoList:Scopes`), checked here.
   */
  authorizeForScopes(options: string | AuthorizeForScopesOptions = {}): RequestHandler {
    const route: AuthorizeForScopesOptions =
      typeof options === 'string' ? { scopeKeySection: options } : { ...options };
    if (route.scopes?.length && route.scopeKeySection) {
      throw new InvalidConfigurationError(
        'authorizeForScopes',
        `takes scopes or a configuration key path, not both (got both, and "${route.scopeKeySection}").`,
      );
    }
    if (route.scopeKeySection) this.configuration.getScopes(route.scopeKeySection);
    const filter = new (routeFilterClass(route))(this.options, this.configuration, this.formPosts);
    return (req, _res, next) => {
      this.routeFilters.set(req, filter);
      next();
    };
  }

  /**
   * Answers the library's errors as the Nest module does (sign-in redirects, consent round trips,
   * 400/403/502/503 pages or JSON, never a token in a body); passes every other error on. Mount it
   * after your routes.
   */
  errorHandler(): ErrorRequestHandler {
    return (err: unknown, req: Request, res: Response, next: NextFunction) => {
      const challenged = findChallenge(err) !== undefined;
      if (res.headersSent || !(challenged || err instanceof IdentityWebError)) return next(err);
      const host = expressArgumentsHost(req, res, next);
      const routeFilter = this.routeFilters.get(req);
      if (challenged && routeFilter) routeFilter.catch(err, host);
      else this.errorFilter.catch(err as IdentityWebError, host);
    };
  }

  /** The signed-in user of `req`, or `undefined`. */
  user(req: Request): SignedInUser | undefined {
    return sessionUser(req);
  }

  /** Waits for token requests in progress and closes the connections the library opened. */
  async close(): Promise<void> {
    await this.acquirer.close();
    await this.sessionStore?.onApplicationShutdown();
  }
}

/**
 * Builds {@link IdentityWebExpress} from the configuration `IdentityWebModule.forRoot` takes
 * (camelCase options, or `loadAppSettings()`'s appsettings object; environment variables
 * override), validated the same way: a bad or missing key throws `OptionsValidationError` naming
 * the key path, before the app listens.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { loadAppSettings } from 'nest-identity-web';
 * import { createIdentityWeb } from 'nest-identity-web/express';
 *
 * const identity = createIdentityWeb(loadAppSettings());
 * const app = express();
 * app.use(identity.middleware(), identity.requireSignIn({ allowAnonymous: ['/'] }));
 * app.get('/me', async (_req, res) => res.json(await identity.downstreamApi.getForUser('GraphAPI', { relativePath: 'me' })));
 * app.use(identity.errorHandler());
 * ```
 */
export function createIdentityWeb(
  settings: IdentityWebSettings,
  overrides: IdentityWebExpressOverrides = {},
): IdentityWebExpress {
  const { configuration, options } = resolveOptions(settings, overrides);
  refuseGeneratedSecretWhenShared(options);
  const acquirer = createTokenAcquirerFrom(options, configuration, { store: overrides.store });
  const { authorities, clients, cache, tokens } = acquirer.parts;
  const pending = new PendingSignInStore();
  const formPosts = new PendingFormPostStore(options);
  const strategy = new (overrides.signInStrategy ?? EntraIdStrategy)(
    options,
    new AuthorizationCodeClient(options, authorities, clients, cache),
    new IdTokenValidator(options, authorities),
    pending,
  );
  const accountRoutes = new AccountRoutesMiddleware(
    options,
    new SignInHandler(options, strategy, pending),
    new SignOutHandler(options, tokens, authorities),
    new ResubmitHandler(options, formPosts),
  );
  const consent = new AuthorizeForScopesFilter(options, configuration, formPosts);
  const sessionStore = new SessionStoreProvider(options);
  return new IdentityWebExpress(acquirer, new IdentityWebErrorFilter(options, consent), formPosts, {
    session: new SessionMiddleware(options, sessionStore),
    sessionStore,
    context: new RequestContextMiddleware(),
    accountRoutes,
  });
}

function normalizePath(path: string): string {
  return (path.replace(/\/+$/, '') || '/').toLowerCase();
}
