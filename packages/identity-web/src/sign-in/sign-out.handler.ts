import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { IdentityWebError } from '../errors';
import { escapeHtml } from '../http/error-page';
import { requestSite } from '../http/request-site';
import { IdentityWebOptions } from '../options/identity-web.options';
import { Authorities } from '../token-acquisition/authorities';
import type { SignedInUser } from '../token-acquisition/signed-in-user';
import { TokenAcquisitionService } from '../token-acquisition/token-acquisition.service';
import { accountRoute, appOrigin, postLogoutRedirectUriFor } from './app-urls';
import { runSessionCall, sessionState } from './sign-in-session';

/**
 * The account routes that end a sign-in:
 * - `GET|POST {prefix}/signout` (methods from `signOutMethods`; another gets 405) ends the session,
 *   removes every token cache partition the session's sign-ins wrote and goes to the identity
 *   provider's logout, with `post_logout_redirect_uri` from `AzureAd:RedirectUri`'s origin when it
 *   is set, else the request's;
 * - `GET {signedOutCallbackPath}`: back from the identity provider, on to `postLogoutRedirectPath`.
 * Sign-out happens only when the request comes from the app's own pages: `Sec-Fetch-Site:
 * same-origin` (or `none`), else an `Origin` equal to the app's (or a trusted origin). A POST with
 * neither header needs the one-time token of the confirmation page. Anything else (another site,
 * another port, a sibling subdomain) gets a 403 confirmation page and changes nothing.
 *
 * @example
 * ```ts
 * await handler.signOut(req, res); // 302 to the end-session endpoint
 * ```
 */
@Injectable()
export class SignOutHandler {
  private readonly logger = new Logger('IdentityWeb');

  constructor(
    protected readonly options: IdentityWebOptions,
    protected readonly tokens: TokenAcquisitionService,
    protected readonly authorities: Authorities,
  ) {}

  /**
   * Ends the session and clears its cookie first, so the user is signed out whatever happens next;
   * then removes every token cache partition the session's sign-ins wrote (a failure is logged,
   * not shown: the user still signs out) and signs out at the identity provider.
   */
  async signOut(req: Request, res: Response): Promise<void> {
    if (!this.fromOwnPage(req)) return this.confirm(req, res);
    const state = sessionState(req);
    const user = state?.user;
    if (req.session) await runSessionCall((done) => req.session.destroy(done));
    res.clearCookie(this.options.session.cookieName, { path: '/' });
    if (user) await this.removePartitions(user, [user.homeAccountId, ...(state?.partitions ?? [])]);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, await this.logoutUrl(req, user));
  }

  /**
   * `true` when the app's own pages asked: same-origin Fetch Metadata or `Origin`; for a POST with
   * neither header, the confirmation page's token. A GET that says nothing is a link followed by a
   * browser that sends no Fetch Metadata: signed out, as before (`SignOutMethods: ["POST"]` refuses it).
   */
  protected fromOwnPage(req: Request): boolean {
    const site = requestSite(req, appOrigin(this.options, req), this.options.trustedOrigins);
    if (site !== 'unknown') return site === 'same-origin';
    if (req.method.toUpperCase() !== 'POST') return true;
    const token = (req.body as Record<string, unknown> | undefined)?.[SIGN_OUT_TOKEN_FIELD];
    return typeof token === 'string' && sameText(token, this.signOutToken(req));
  }

  /** A token bound to this browser's session, for clients that send neither Fetch Metadata nor `Origin`. */
  protected signOutToken(req: Request): string {
    const secrets = this.options.session.secret;
    const key = Array.isArray(secrets) ? String(secrets[0]) : String(secrets);
    return createHmac('sha256', key)
      .update(`sign-out\n${req.sessionID ?? ''}`)
      .digest('base64url');
  }

  /**
   * A sign-out another site (or a page without Fetch Metadata) asked for: 403 and a page whose button
   * signs out for real; the session, its cookie and the tokens are left as they were.
   */
  protected confirm(req: Request, res: Response): void {
    this.logger.warn('A sign-out request from another origin was refused; the session is unchanged.');
    const action = escapeHtml(accountRoute(this.options, 'signout'));
    const token = escapeHtml(this.signOutToken(req));
    res.setHeader('Cache-Control', 'no-store');
    res
      .status(403)
      .type('html')
      .send(
        [
          '<!doctype html>',
          '<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">',
          '<title>Sign out?</title></head>',
          '<body><main><h1>Sign out?</h1>',
          '<p id="message">Another page asked to sign you out. You are still signed in.</p>',
          `<form method="post" action="${action}">`,
          `<input type="hidden" name="${SIGN_OUT_TOKEN_FIELD}" value="${token}">`,
          '<button id="sign-out" type="submit">Sign out</button></form>',
          '<p><a id="home" href="/">Stay signed in</a></p>',
          '</main></body></html>',
        ].join('\n'),
      );
  }

  /** A sign-out with a method `signOutMethods` leaves out: 405 naming the allowed ones. */
  async methodNotAllowed(_req: Request, res: Response): Promise<void> {
    const allowed = this.options.signOutMethods;
    res.setHeader('Allow', allowed.join(', '));
    res.setHeader('Cache-Control', 'no-store');
    res
      .status(405)
      .type('text/plain')
      .send(`Sign out with ${allowed.join(' or ')}.`);
  }

  /** Back from the identity provider's logout. */
  async signedOut(_req: Request, res: Response): Promise<void> {
    res.redirect(302, this.options.azureAd.postLogoutRedirectPath);
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
      endSession = (await this.authorities.metadata(user?.userFlow)).end_session_endpoint;
    } catch {
      return local;
    }
    if (!endSession) return local;
    const url = new URL(endSession);
    url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUriFor(this.options, req));
    url.searchParams.set('client_id', this.options.azureAd.clientId);
    return url.toString();
  }
}

/** The form field of the confirmation page's token. */
const SIGN_OUT_TOKEN_FIELD = 'signOutToken';

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The library's error code of a failure, or `unknown_error` for anything else. */
function errorCode(err: unknown): string {
  return err instanceof IdentityWebError ? err.code : 'unknown_error';
}
