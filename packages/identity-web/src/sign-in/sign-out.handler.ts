import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IdentityWebError } from '../errors';
import { IdentityWebOptions } from '../options/identity-web.options';
import { Authorities } from '../token-acquisition/authorities';
import type { SignedInUser } from '../token-acquisition/signed-in-user';
import { TokenAcquisitionService } from '../token-acquisition/token-acquisition.service';
import { postLogoutRedirectUriFor } from './app-urls';
import { runSessionCall, sessionState } from './sign-in-session';

/**
 * The account routes that end a sign-in:
 * - `GET|POST {prefix}/signout` (methods from `signOutMethods`; another gets 405) ends the session,
 *   removes every token cache partition the session's sign-ins wrote and goes to the identity
 *   provider's logout, with `post_logout_redirect_uri` from `AzureAd:RedirectUri`'s origin when it
 *   is set, else the request's;
 * - `GET {signedOutCallbackPath}`: back from the identity provider, on to `postLogoutRedirectPath`.
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
    const state = sessionState(req);
    const user = state?.user;
    if (req.session) await runSessionCall((done) => req.session.destroy(done));
    res.clearCookie(this.options.session.cookieName, { path: '/' });
    if (user) await this.removePartitions(user, [user.homeAccountId, ...(state?.partitions ?? [])]);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, await this.logoutUrl(req, user));
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

/** The library's error code of a failure, or `unknown_error` for anything else. */
function errorCode(err: unknown): string {
  return err instanceof IdentityWebError ? err.code : 'unknown_error';
}
