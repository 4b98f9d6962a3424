import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { RepeatedChallengeError, SignInRefusedError } from '../errors';
import { assertSafeReturnUrl, isSafeReturnUrl, resolveReturnUrl } from '../http/return-url';
import { IdentityWebOptions } from '../options/identity-web.options';
import type { SignedInUser } from '../token-acquisition/signed-in-user';
import { appOrigin, redirectUriFor } from './app-urls';
import type { EntraIdAuthenticateOptions, EntraIdSignInInfo } from './entra-id-oidc.strategy';
import { EntraIdStrategy } from './entra-id.strategy';
import { PendingSignInStore } from './pending-sign-in.store';
import { describePermissions } from './permission-words';
import { runSessionCall, sessionState, sessionUser } from './sign-in-session';
import { resolveUserFlow, samePerson, sessionIdentityAfter } from './user-flows';

/** A challenge raised again this soon after a round trip completed for it is a loop, not a new need. */
const REPEAT_WINDOW_MS = 60_000;

/**
 * The account routes that send the browser to the identity provider, and the callback that
 * brings it back:
 * - `GET {prefix}/signin?returnUrl=` starts a sign-in;
 * - `GET {prefix}/challenge?returnUrl=&scope=&claims=&loginHint=&domainHint=&policy=&reason=` starts
 *   a new authorization request with those extras (incremental consent, claims challenges, user
 *   flows); `claims` must be a JSON object and `policy` one of the configured user flows (else 400).
 *   With `reason` (the consent filter sends the MSAL error that needed the user), the same challenge
 *   raised again within a minute of a round trip completed for it is refused (403) instead of looping;
 * - B2C / External ID: `GET {prefix}/editprofile?returnUrl=` and `GET {prefix}/resetpassword?returnUrl=`
 *   run the `EditProfilePolicyId` / `ResetPasswordPolicyId` flow; the session keeps the user's
 *   sign-up-sign-in identity afterwards;
 * - `GET|POST {callbackPath}` completes a sign-in in a new session and lands on the return URL.
 * `redirect_uri` comes from `AzureAd:RedirectUri` when it is set, else from the request's origin.
 *
 * @example
 * ```ts
 * await handler.signIn(req, res); // 302 to the identity provider's authorize endpoint
 * ```
 */
@Injectable()
export class SignInHandler {
  constructor(
    protected readonly options: IdentityWebOptions,
    protected readonly strategy: EntraIdStrategy,
    protected readonly pending: PendingSignInStore,
  ) {}

  /** `signin?returnUrl=`: a hostile return URL is refused (400), a missing one means `/`. */
  async signIn(req: Request, res: Response): Promise<void> {
    await this.authenticate(req, res, { returnUrl: this.returnUrlFrom(req) });
  }

  /** `challenge?...`: a new authorization request for more scopes, claims or another user flow. */
  async challenge(req: Request, res: Response): Promise<void> {
    const scope = queryText(req, 'scope');
    const user = sessionUser(req);
    const scopes = scope ? scope.split(/[\s,]+/).filter(Boolean) : [];
    const claims = queryText(req, 'claims');
    const userFlow = this.userFlowFrom(req) ?? user?.userFlow;
    const reason = queryText(req, 'reason');
    const challenge = reason === undefined ? undefined : challengeKey(scopes, claims, userFlow, reason);
    const cameFrom = this.sameOriginReferer(req);
    if (challenge !== undefined && this.pending.recentlyCompleted(req, challenge, REPEAT_WINDOW_MS)) {
      throw this.repeated(scopes, cameFrom);
    }
    await this.authenticate(req, res, {
      returnUrl: this.returnUrlFrom(req),
      scopes,
      claims,
      loginHint: queryText(req, 'loginHint') ?? user?.username,
      domainHint: queryText(req, 'domainHint'),
      userFlow,
      challenge,
      cameFrom,
    });
  }

  /** The same-origin page the browser came from (its Referer), if any. */
  protected sameOriginReferer(req: Request): string | undefined {
    const referer = req.get('referer');
    const origin = appOrigin(this.options, req);
    return referer && isSafeReturnUrl(referer, { origin })
      ? resolveReturnUrl(referer, { origin })
      : undefined;
  }

  /** The page for a challenge that came back right after a round trip for it: no new round trip. */
  protected repeated(scopes: string[], cameFrom: string | undefined): RepeatedChallengeError {
    const { azureAd, consent } = this.options;
    const words = describePermissions(scopes, azureAd.initialScopes);
    return new RepeatedChallengeError(
      `You just signed in and answered the identity provider, but ${consent.applicationName} still cannot get permission to ${words}. ` +
        'It stopped here rather than send you round again. Please try again later, or ask your administrator.',
      cameFrom ?? '/',
    );
  }

  /** `editprofile` / `resetpassword`: runs a B2C / External ID user flow and comes back to `returnUrl`. */
  async runUserFlow(req: Request, res: Response, userFlow: string): Promise<void> {
    await this.authenticate(req, res, {
      returnUrl: this.returnUrlFrom(req),
      loginHint: sessionUser(req)?.username,
      userFlow,
    });
  }

  /** The identity provider's answer: on success a new session with the user, then the return URL. */
  callback(req: Request, res: Response, next: NextFunction): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onResult = (err: unknown, user: SignedInUser | false, info?: EntraIdSignInInfo): void => {
        if (err) return reject(err);
        if (!user || !info) return reject(new SignInRefusedError('Sign-in refused.'));
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
   * Sign-ins this browser started in other tabs and not yet completed move to the new session, so
   * each can still complete and land on its own return URL. After a B2C edit-profile or reset-password flow the session keeps the sign-up-sign-in
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
    await runSessionCall((done) => req.session.regenerate(done));
    const state = sessionState(req, true)!;
    state.user = kept;
    state.partitions = [...partitions];
    // Other tabs' sign-ins (single use, bound to this browser by state, nonce and PKCE) stay pending.
    if (previous?.pending?.length) state.pending = previous.pending;
    // A form post waiting for this round trip and the Back button's memory stay with the same person only.
    if (previousUser && samePerson(previousUser, user)) {
      if (previous?.formPosts) state.formPosts = previous.formPosts;
      if (previous?.completed) state.completed = previous.completed;
    }
    this.pending.complete(req, info);
    await runSessionCall((done) => req.session.save(done));
    res.redirect(
      302,
      resolveReturnUrl(info.returnUrl, { origin: appOrigin(this.options, req), fallback: '/' }),
    );
  }

  /** `?policy=`: one of the configured user flows, or `undefined` when absent; anything else is a 400. */
  protected userFlowFrom(req: Request): string | undefined {
    const policy = queryText(req, 'policy');
    return policy === undefined ? undefined : resolveUserFlow(this.options, policy);
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
        (err: unknown) => reject(err ?? new SignInRefusedError('Sign-in could not start.')),
      )(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
      res.once('finish', () => resolve());
    });
  }
}

/** What a challenge asks for, compared to earlier ones: scopes (any order or case), claims, flow, reason. */
function challengeKey(scopes: string[], claims = '', userFlow = '', reason: string): string {
  const sorted = scopes.map((s) => s.toLowerCase()).sort();
  return [sorted.join(' '), claims, userFlow.toLowerCase(), reason].join('\n');
}

function queryText(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
