import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { IdentityWebError } from '../errors';
import { assertSafeReturnUrl, resolveReturnUrl } from '../http/return-url';
import type { SignOutMethod } from '../options/identity-web.section';
import { IdentityWebOptions } from '../options/identity-web.options';
import { TokenAcquisitionService } from '../token-acquisition/token-acquisition.service';
import { accountRoute, appOrigin, postLogoutRedirectUriFor, redirectUriFor } from './app-urls';
import type { EntraIdAuthenticateOptions, EntraIdSignInInfo } from './entra-id-oidc.strategy';
import { EntraIdStrategy } from './entra-id.strategy';
import { sessionState, sessionUser } from './sign-in-session';
import type { SignedInUser } from '../token-acquisition/signed-in-user';
import { resolveUserFlow, samePerson, sessionIdentityAfter } from './user-flows';

type Route =
  | 'signin'
  | 'challenge'
  | 'editProfile'
  | 'resetPassword'
  | 'signout'
  | 'signoutMethodNotAllowed'
  | 'callback'
  | 'signedOut';

/** The route a GET (or HEAD) and a POST reach on one path; absent when that method is not answered there. */
interface RouteByMethod {
  get?: Route;
  post?: Route;
}

/**
 * The account routes, answered before the app's controllers (their paths come from options,
 * which Nest controllers cannot take):
 * - `GET {prefix}/signin?returnUrl=` starts a sign-in;
 * - `GET {prefix}/challenge?returnUrl=&scope=&claims=&loginHint=&domainHint=&policy=` starts a new
 *   authorization request with those extras (incremental consent, claims challenges, user flows);
 *   `claims` must be a JSON object and `policy` one of the configured user flows (else 400);
 * - B2C / External ID: `GET {prefix}/editprofile?returnUrl=` and `GET {prefix}/resetpassword?returnUrl=`
 *   run the `EditProfilePolicyId` / `ResetPasswordPolicyId` flow (when configured); the session
 *   keeps the user's sign-up-sign-in identity afterwards;
 * - `GET|POST {prefix}/signout` (methods from `signOutMethods`; another gets 405) removes every
 *   token cache partition the session's sign-ins wrote, ends the session and goes to the identity
 *   provider's logout;
 * - `GET|POST {callbackPath}` completes a sign-in; `GET {signedOutCallbackPath}` ends a sign-out.
 * `redirect_uri` and `post_logout_redirect_uri` come from `AzureAd:RedirectUri` when it is set,
 * else from the request's origin. Each step is a protected method a subclass may override.
 *
 * @example
 * ```ts
 * consumer.apply(SessionMiddleware, RequestContextMiddleware, AccountRoutesMiddleware).forRoutes('{*path}');
 * ```
 */
@Injectable()
export class AccountRoutesMiddleware implements NestMiddleware {
  private readonly logger = new Logger('IdentityWeb');
  /** Normalised path → the route each method reaches there; built once, read once per request. */
  private readonly routes: ReadonlyMap<string, RouteByMethod>;

  constructor(
    protected readonly options: IdentityWebOptions,
    protected readonly strategy: EntraIdStrategy,
    protected readonly tokens: TokenAcquisitionService,
  ) {
    this.routes = this.buildRoutes();
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const route = this.match(req);
    if (!route) return next();
    this.handle(route, req, res, next).catch(next);
  }

  /** Which account route, if any, the request is for: one lookup in the table built at start-up. */
  protected match(req: Request): Route | undefined {
    const byMethod = this.routes.get(normalizePath(pathOf(req.originalUrl)));
    if (!byMethod) return undefined;
    const method = req.method.toUpperCase();
    if (method === 'GET' || method === 'HEAD') return byMethod.get;
    return method === 'POST' ? byMethod.post : undefined;
  }

  /**
   * The table of account routes by normalised path. Where two configured paths coincide, the first
   * listed wins: the callback, the signed-out callback, then the routes under the prefix.
   */
  protected buildRoutes(): Map<string, RouteByMethod> {
    const { azureAd } = this.options;
    const allowed = this.signOutMethods();
    const signOut = (method: SignOutMethod): Route =>
      allowed.includes(method) ? 'signout' : 'signoutMethodNotAllowed';
    const entries: [string, RouteByMethod][] = [
      [azureAd.callbackPath, { get: 'callback', post: 'callback' }],
      [azureAd.signedOutCallbackPath, { get: 'signedOut' }],
      [accountRoute(this.options, 'signin'), { get: 'signin' }],
      [accountRoute(this.options, 'challenge'), { get: 'challenge' }],
    ];
    if (azureAd.editProfilePolicyId)
      entries.push([accountRoute(this.options, 'editprofile'), { get: 'editProfile' }]);
    if (azureAd.resetPasswordPolicyId) {
      entries.push([accountRoute(this.options, 'resetpassword'), { get: 'resetPassword' }]);
    }
    entries.push([accountRoute(this.options, 'signout'), { get: signOut('GET'), post: signOut('POST') }]);
    const routes = new Map<string, RouteByMethod>();
    for (const [path, byMethod] of entries) {
      const key = normalizePath(path);
      const existing = routes.get(key);
      routes.set(key, { get: existing?.get ?? byMethod.get, post: existing?.post ?? byMethod.post });
    }
    return routes;
  }

  protected handle(route: Route, req: Request, res: Response, next: NextFunction): Promise<void> {
    switch (route) {
      case 'signin':
        return this.signIn(req, res);
      case 'challenge':
        return this.challenge(req, res);
      case 'editProfile':
        return this.runUserFlow(req, res, this.options.azureAd.editProfilePolicyId!);
      case 'resetPassword':
        return this.runUserFlow(req, res, this.options.azureAd.resetPasswordPolicyId!);
      case 'signout':
        return this.signOut(req, res);
      case 'signoutMethodNotAllowed':
        return this.signOutMethodNotAllowed(req, res);
      case 'callback':
        return this.callback(req, res, next);
      case 'signedOut':
        return this.signedOut(req, res);
    }
  }

  /** `signin?returnUrl=`: a hostile return URL is refused (400), a missing one means `/`. */
  protected async signIn(req: Request, res: Response): Promise<void> {
    await this.authenticate(req, res, { returnUrl: this.returnUrlFrom(req) });
  }

  /** `challenge?...`: a new authorization request for more scopes, claims or another user flow. */
  protected async challenge(req: Request, res: Response): Promise<void> {
    const scope = queryText(req, 'scope');
    const user = sessionUser(req);
    await this.authenticate(req, res, {
      returnUrl: this.returnUrlFrom(req),
      scopes: scope ? scope.split(/[\s,]+/).filter(Boolean) : [],
      claims: queryText(req, 'claims'),
      loginHint: queryText(req, 'loginHint') ?? user?.username,
      domainHint: queryText(req, 'domainHint'),
      userFlow: this.userFlowFrom(req) ?? user?.userFlow,
    });
  }

  /** `editprofile` / `resetpassword`: runs a B2C / External ID user flow and comes back to `returnUrl`. */
  protected async runUserFlow(req: Request, res: Response, userFlow: string): Promise<void> {
    await this.authenticate(req, res, {
      returnUrl: this.returnUrlFrom(req),
      loginHint: sessionUser(req)?.username,
      userFlow,
    });
  }

  /** `?policy=`: one of the configured user flows, or `undefined` when absent; anything else is a 400. */
  protected userFlowFrom(req: Request): string | undefined {
    const policy = queryText(req, 'policy');
    return policy === undefined ? undefined : resolveUserFlow(this.options, policy);
  }

  /** The identity provider's answer: on success a new session with the user, then the return URL. */
  protected callback(req: Request, res: Response, next: NextFunction): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onResult = (err: unknown, user: SignedInUser | false, info?: EntraIdSignInInfo): void => {
        if (err) return reject(err);
        if (!user || !info) return reject(new IdentityWebError('sign_in_refused', 'Sign-in refused.'));
        this.completeSignIn(req, res, user, info).then(resolve, reject);
      };
      // The strategy may also redirect (a B2C password reset, a cancelled profile edit).
      res.once('finish', () => resolve());
      passport.authenticate(
        Object.create(this.strategy),
        this.authenticateOptions(req, { callback: true }),
        onResult,
      )(req, res, next);
    });
  }

  /**
   * Regenerates the session (no fixation), keeps the user, and lands on the stored return URL.
   * After a B2C edit-profile or reset-password flow the session keeps the sign-up-sign-in
   * identity; every partition written is recorded for sign-out.
   */
  protected async completeSignIn(
    req: Request,
    res: Response,
    user: SignedInUser,
    info: EntraIdSignInInfo,
  ): Promise<void> {
    const previous = sessionState(req);
    const previousUser = previous?.user;
    const kept = sessionIdentityAfter(this.options, user, previousUser);
    const partitions = new Set<string>();
    if (previousUser && samePerson(previousUser, user)) {
      for (const p of [previousUser.homeAccountId, ...(previous?.partitions ?? [])]) partitions.add(p);
    }
    partitions.add(user.homeAccountId).add(kept.homeAccountId);
    await promisify((done) => req.session.regenerate(done));
    const state = sessionState(req, true)!;
    state.user = kept;
    state.partitions = [...partitions];
    await promisify((done) => req.session.save(done));
    res.redirect(
      302,
      resolveReturnUrl(info.returnUrl, { origin: appOrigin(this.options, req), fallback: '/' }),
    );
  }

  /**
   * Ends the session and clears its cookie first, so the user is signed out whatever happens next;
   * then removes every token cache partition the session's sign-ins wrote (a failure is logged,
   * not shown: the user still signs out) and signs out at the identity provider.
   */
  protected async signOut(req: Request, res: Response): Promise<void> {
    const state = sessionState(req);
    const user = state?.user;
    if (req.session) await promisify((done) => req.session.destroy(done));
    res.clearCookie(this.options.session.cookieName, { path: '/' });
    if (user) await this.removePartitions(user, [user.homeAccountId, ...(state?.partitions ?? [])]);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, await this.logoutUrl(req, user));
  }

  /**
   * Removes the user's token cache partitions, all at once; those the store could not remove are
   * logged by count and error code (never a token, never the store's own message).
   */
  protected async removePartitions(user: SignedInUser, homeAccountIds: readonly string[]): Promise<void> {
    const unique = [...new Set(homeAccountIds)];
    const results = await Promise.allSettled(
      unique.map((homeAccountId) => this.tokens.removeUser({ ...user, homeAccountId })),
    );
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length === 0) return;
    const codes = [...new Set(failures.map((f) => errorCode(f.reason)))].join(', ');
    this.logger.warn(
      `Sign-out could not remove ${failures.length} of ${unique.length} token cache partition(s) (${codes}); ` +
        'the session is ended, and the tokens stay in the store until they expire or the user signs in again.',
    );
  }

  /** The identity provider's end-session URL, or the post-logout path when it has none or is down. */
  protected async logoutUrl(req: Request, user: SignedInUser | undefined): Promise<string> {
    const local = this.options.azureAd.postLogoutRedirectPath;
    let endSession: string | undefined;
    try {
      endSession = (await this.tokens.getAuthorityMetadata(user?.userFlow)).end_session_endpoint;
    } catch {
      return local;
    }
    if (!endSession) return local;
    const url = new URL(endSession);
    url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUriFor(this.options, req));
    url.searchParams.set('client_id', this.options.azureAd.clientId);
    return url.toString();
  }

  /** A sign-out with a method `signOutMethods` leaves out: 405 naming the allowed ones. */
  protected async signOutMethodNotAllowed(_req: Request, res: Response): Promise<void> {
    res.setHeader('Allow', this.signOutMethods().join(', '));
    res.setHeader('Cache-Control', 'no-store');
    res
      .status(405)
      .type('text/plain')
      .send(`Sign out with ${this.signOutMethods().join(' or ')}.`);
  }

  protected signOutMethods(): readonly string[] {
    return this.options.signOutMethods;
  }

  /** Back from the identity provider's logout. */
  protected async signedOut(_req: Request, res: Response): Promise<void> {
    res.redirect(302, this.options.azureAd.postLogoutRedirectPath);
  }

  protected returnUrlFrom(req: Request): string {
    const candidate = queryText(req, 'returnUrl');
    return candidate === undefined
      ? '/'
      : assertSafeReturnUrl(candidate, { origin: appOrigin(this.options, req) });
  }

  protected authenticateOptions(
    req: Request,
    extra: Omit<EntraIdAuthenticateOptions, 'redirectUri'>,
  ): EntraIdAuthenticateOptions {
    return { ...extra, redirectUri: redirectUriFor(this.options, req) };
  }

  private authenticate(
    req: Request,
    res: Response,
    extra: Omit<EntraIdAuthenticateOptions, 'redirectUri'>,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      // A fresh object per request: passport attaches its per-request actions to it.
      passport.authenticate(
        Object.create(this.strategy),
        this.authenticateOptions(req, extra),
        (err: unknown) => reject(err ?? new IdentityWebError('sign_in_refused', 'Sign-in could not start.')),
      )(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
      res.once('finish', () => resolve());
    });
  }
}

/** The path of a request URL: everything before its query (a browser never sends the fragment). */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return (trimmed.startsWith('/') ? trimmed : `/${trimmed}`).toLowerCase();
}

/** The library's error code of a failure, or `unknown_error` for anything else. */
function errorCode(err: unknown): string {
  return err instanceof IdentityWebError ? err.code : 'unknown_error';
}

function queryText(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function promisify(run: (done: (err?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((err) => (err ? reject(err) : resolve())));
}
