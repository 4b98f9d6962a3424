import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { IdentityWebError } from '../errors';
import { requestOrigin } from '../http/browser-request';
import { assertSafeReturnUrl, resolveReturnUrl } from '../http/return-url';
import { IdentityWebOptions } from '../options/identity-web.options';
import { TokenAcquisitionService } from '../token-acquisition/token-acquisition.service';
import type { EntraIdAuthenticateOptions, EntraIdSignInInfo } from './entra-id-oidc.strategy';
import { EntraIdStrategy } from './entra-id.strategy';
import { sessionState, sessionUser } from './sign-in-session';
import type { SignedInUser } from './signed-in-user';
import { DEFAULT_SESSION_COOKIE } from './session.middleware';

type Route = 'signin' | 'challenge' | 'signout' | 'callback' | 'signedOut';

/**
 * The account routes, answered before the app's controllers (their paths come from options,
 * which Nest controllers cannot take):
 * - `GET {prefix}/signin?returnUrl=` starts a sign-in;
 * - `GET {prefix}/challenge?returnUrl=&scope=&claims=&loginHint=&domainHint=&policy=` starts a new
 *   authorization request with those extras (incremental consent, claims challenges, user flows);
 * - `GET|POST {prefix}/signout` removes the user's tokens from the cache, ends the session and
 *   goes to the identity provider's logout;
 * - `GET|POST {callbackPath}` completes a sign-in; `GET {signedOutCallbackPath}` ends a sign-out.
 * Each step is a protected method a subclass may override.
 *
 * @example
 * ```ts
 * consumer.apply(SessionMiddleware, RequestContextMiddleware, AccountRoutesMiddleware).forRoutes('{*path}');
 * ```
 */
@Injectable()
export class AccountRoutesMiddleware implements NestMiddleware {
  constructor(
    protected readonly options: IdentityWebOptions,
    protected readonly strategy: EntraIdStrategy,
    protected readonly tokens: TokenAcquisitionService,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const route = this.match(req);
    if (!route) return next();
    this.handle(route, req, res, next).catch(next);
  }

  /** Which account route, if any, the request is for. */
  protected match(req: Request): Route | undefined {
    const path = normalizePath(new URL(req.originalUrl, 'http://localhost').pathname);
    const method = req.method.toUpperCase();
    const prefix = normalizePath(this.options.accountRoutesPrefix ?? '/account');
    const get = method === 'GET' || method === 'HEAD';
    const getOrPost = get || method === 'POST';
    if (path === normalizePath(this.options.azureAd.callbackPath) && getOrPost) return 'callback';
    if (path === normalizePath(this.options.azureAd.signedOutCallbackPath) && get) return 'signedOut';
    if (path === `${prefix}/signin` && get) return 'signin';
    if (path === `${prefix}/challenge` && get) return 'challenge';
    if (path === `${prefix}/signout` && getOrPost) return 'signout';
    return undefined;
  }

  protected handle(route: Route, req: Request, res: Response, next: NextFunction): Promise<void> {
    switch (route) {
      case 'signin':
        return this.signIn(req, res);
      case 'challenge':
        return this.challenge(req, res);
      case 'signout':
        return this.signOut(req, res);
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
      userFlow: queryText(req, 'policy') ?? user?.userFlow,
    });
  }

  /** The identity provider's answer: on success a new session with the user, then the return URL. */
  protected callback(req: Request, res: Response, next: NextFunction): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onResult = (err: unknown, user: SignedInUser | false, info?: EntraIdSignInInfo): void => {
        if (err) return reject(err);
        if (!user || !info) return reject(new IdentityWebError('sign_in_refused', 'Sign-in refused.'));
        this.completeSignIn(req, res, user, info).then(resolve, reject);
      };
      passport.authenticate(
        Object.create(this.strategy),
        this.authenticateOptions(req, { callback: true }),
        onResult,
      )(req, res, next);
    });
  }

  /** Regenerates the session (no fixation), keeps the user, and lands on the stored return URL. */
  protected async completeSignIn(
    req: Request,
    res: Response,
    user: SignedInUser,
    info: EntraIdSignInInfo,
  ): Promise<void> {
    await promisify((done) => req.session.regenerate(done));
    sessionState(req, true)!.user = user;
    await promisify((done) => req.session.save(done));
    res.redirect(302, resolveReturnUrl(info.returnUrl, { origin: requestOrigin(req), fallback: '/' }));
  }

  /** Removes the user's tokens, ends the session, then signs out at the identity provider. */
  protected async signOut(req: Request, res: Response): Promise<void> {
    const user = sessionUser(req);
    if (user) await this.tokens.removeUser(user);
    if (req.session) await promisify((done) => req.session.destroy(done));
    res.clearCookie(this.options.session?.cookieName ?? DEFAULT_SESSION_COOKIE, { path: '/' });
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, await this.logoutUrl(req, user));
  }

  /** The identity provider's end-session URL, or the post-logout path when it has none or is down. */
  protected async logoutUrl(req: Request, user: SignedInUser | undefined): Promise<string> {
    const local = this.options.azureAd.postLogoutRedirectPath ?? '/';
    let endSession: string | undefined;
    try {
      endSession = (await this.tokens.getAuthorityMetadata(user?.userFlow)).end_session_endpoint;
    } catch {
      return local;
    }
    if (!endSession) return local;
    const url = new URL(endSession);
    url.searchParams.set(
      'post_logout_redirect_uri',
      `${requestOrigin(req)}${this.options.azureAd.signedOutCallbackPath}`,
    );
    url.searchParams.set('client_id', this.options.azureAd.clientId);
    return url.toString();
  }

  /** Back from the identity provider's logout. */
  protected async signedOut(_req: Request, res: Response): Promise<void> {
    res.redirect(302, this.options.azureAd.postLogoutRedirectPath ?? '/');
  }

  protected returnUrlFrom(req: Request): string {
    const candidate = queryText(req, 'returnUrl');
    return candidate === undefined ? '/' : assertSafeReturnUrl(candidate, { origin: requestOrigin(req) });
  }

  protected authenticateOptions(
    req: Request,
    extra: Omit<EntraIdAuthenticateOptions, 'redirectUri'>,
  ): EntraIdAuthenticateOptions {
    return { ...extra, redirectUri: `${requestOrigin(req)}${this.options.azureAd.callbackPath}` };
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

function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return (trimmed.startsWith('/') ? trimmed : `/${trimmed}`).toLowerCase();
}

function queryText(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function promisify(run: (done: (err?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((err) => (err ? reject(err) : resolve())));
}
