import type { User } from '../directory/directory.types';
import { MFA_CODE } from '../directory/default-directory';
import type { EmulatorRuntime } from '../emulator-runtime';
import { EntraError } from '../errors/entra-error';
import { silentMfaRequired } from '../grants/mfa-required.error';
import { clientInfo } from '../grants/user-token-response';
import type { SessionStore } from '../state/session-store';
import type { AuthorizeRequest } from './authorize-request';
import type { AuthorizeResponse } from './authorize-response';
import { claimsRequireMfa } from './claims-request';
import { consentableScopes, scopesToConsent } from './consent-scopes';
import { tokenTenant } from './token-tenant';
import { consentPage, errorPage, mfaPage, signInPage } from './sign-in.pages';
import type { SignInTransaction, SignInTransactions } from './sign-in-transactions';

const CODE_LIFETIME_MS = 10 * 60 * 1000;

/**
 * The interactive sign-in as a state machine over a {@link SignInTransaction}: sign-in form (or an
 * SSO session) → MFA when due → consent when scopes are missing → the code. Each step answers with
 * an {@link AuthorizeResponse}; nothing here touches HTTP.
 *
 * @example
 * ```ts
 * const flow = new SignInFlow(runtime, sessions, transactions);
 * sendAuthorizeResponse(ctx, flow.start(request, ctx.cookies()[SSO_COOKIE]));
 * ```
 */
export class SignInFlow {
  constructor(
    private readonly runtime: EmulatorRuntime,
    private readonly sessions: SessionStore,
    private readonly transactions: SignInTransactions,
  ) {}

  /** A validated authorization request: goes on with the SSO session when it fits, else asks to sign in. */
  start(request: AuthorizeRequest, ssoCookie: string | undefined): AuthorizeResponse {
    const tx = this.transactions.start(request);
    const session = this.sessions.find(ssoCookie, this.runtime.directory);
    const sessionUser = session ? this.runtime.directory.findUser(session.userOid) : undefined;
    const forceLogin = request.prompt === 'login' || request.prompt === 'select_account';
    const hintMatches = !request.loginHint || request.loginHint.toLowerCase() === sessionUser?.username;
    if (session && sessionUser && !forceLogin && hintMatches) {
      Object.assign(tx, {
        userOid: session.userOid,
        amr: [...session.amr],
        authTime: session.authTime,
        sessionId: session.id,
      });
    } else if (request.prompt === 'none') {
      return this.fail(
        tx,
        new EntraError(
          'login_required',
          50058,
          'A silent sign-in request was sent but no user is signed in.',
        ),
      );
    }
    return this.proceed(tx);
  }

  /** The sign-in form posted: username and password, or "forgot password" in a B2C flow. */
  login(params: URLSearchParams): AuthorizeResponse {
    return this.withTransaction(params, (tx) => {
      if (params.get('action') === 'forgot-password' && isSignUpSignInFlow(tx.request.flow)) {
        // As B2C does: the app is told, and starts its password-reset flow itself.
        return this.fail(
          tx,
          new EntraError('access_denied', 90118, 'The user has forgotten their password.', {
            codePrefix: 'AADB2C',
          }),
        );
      }
      const username = (params.get('username') ?? '').trim();
      const user = this.runtime.directory.findUser(username);
      const tryAgain = (error: string): AuthorizeResponse => ({
        kind: 'page',
        status: 200,
        html: signInPage({
          tx: tx.id,
          username,
          appName: tx.request.client.displayName,
          forgotPassword: isSignUpSignInFlow(tx.request.flow),
          error,
        }),
      });
      if (!user)
        return tryAgain(`AADSTS50034: The user account ${username} does not exist in the directory.`);
      if (params.get('password') !== user.password) {
        return tryAgain('AADSTS50126: Error validating credentials due to invalid username or password.');
      }
      const session = this.sessions.create(user.oid, ['pwd']);
      Object.assign(tx, {
        userOid: user.oid,
        amr: ['pwd'],
        authTime: session.authTime,
        sessionId: session.id,
      });
      tx.pendingCookie = this.sessions.cookie(session);
      return this.proceed(tx);
    });
  }

  /** The MFA form posted: the one-time code. */
  mfa(params: URLSearchParams): AuthorizeResponse {
    return this.withSignedInUser(params, (tx, user) => {
      if ((params.get('otp') ?? '').trim() !== MFA_CODE) {
        return this.page(
          tx,
          mfaPage({
            tx: tx.id,
            username: user.username,
            register: !user.mfaRegistered,
            error: 'AADSTS50074: The code you entered is not valid. Try again.',
          }),
        );
      }
      user.mfaRegistered = true; // the step registered the method when the user had none
      tx.amr = [...new Set([...tx.amr, 'mfa'])];
      const session = this.sessions.find(tx.sessionId, this.runtime.directory);
      if (session) session.amr = [...new Set([...session.amr, 'mfa'])];
      return this.proceed(tx);
    });
  }

  /** The consent form posted: accept (records the consent) or cancel. */
  consent(params: URLSearchParams): AuthorizeResponse {
    return this.withSignedInUser(params, (tx, user) => {
      if (params.get('decision') !== 'accept') {
        return this.fail(
          tx,
          new EntraError('access_denied', 65004, 'User declined to consent to access the app.'),
        );
      }
      const scopes = consentableScopes(tx.request);
      this.runtime.directory.grantConsent({ user: user.oid, clientId: tx.request.client.clientId, scopes });
      tx.consentShown = true;
      return this.proceed(tx);
    });
  }

  /** Runs the next step that is due: sign-in form, MFA, consent, or the code. */
  private proceed(tx: SignInTransaction): AuthorizeResponse {
    const { request } = tx;
    const user = tx.userOid ? this.runtime.directory.findUser(tx.userOid) : undefined;
    if (!user) {
      return this.page(
        tx,
        signInPage({
          tx: tx.id,
          username: request.loginHint,
          appName: request.client.displayName,
          forgotPassword: isSignUpSignInFlow(request.flow),
        }),
      );
    }
    const tenantId = tokenTenant(this.runtime.directory, request, user);
    if (tenantId instanceof EntraError) return this.page(tx, errorPage(tenantId.message), 400);
    if (this.needsMfa(tx, user)) {
      const register = !user.mfaRegistered;
      if (request.prompt !== 'none') {
        return this.page(tx, mfaPage({ tx: tx.id, username: user.username, register }));
      }
      return this.fail(tx, silentMfaRequired(user));
    }
    const toConsent = tx.consentShown ? [] : scopesToConsent(this.runtime.directory, request, user);
    if (toConsent.length > 0) {
      if (request.prompt !== 'none') {
        return this.page(
          tx,
          consentPage({
            tx: tx.id,
            appName: request.client.displayName,
            username: user.username,
            scopes: toConsent,
          }),
        );
      }
      return this.fail(
        tx,
        new EntraError(
          'consent_required',
          65001,
          `The user or administrator has not consented to use the application with ID '${request.client.clientId}'.`,
        ),
      );
    }
    return this.issueCode(tx, user, tenantId);
  }

  /** MFA is due when the sign-in had none and the user, a policy or the claims ask for it. */
  private needsMfa(tx: SignInTransaction, user: User): boolean {
    const { directory } = this.runtime;
    return (
      !tx.amr.includes('mfa') &&
      (user.mfaEnrolled ||
        tx.request.scopes.resources.some((r) => directory.requiresMfa(r)) ||
        claimsRequireMfa(tx.request.claims))
    );
  }

  private issueCode(tx: SignInTransaction, user: User, tenantId: string): AuthorizeResponse {
    const { request } = tx;
    const facts = {
      userOid: user.oid,
      tenantId,
      amr: tx.amr,
      authTime: tx.authTime ?? Math.floor(Date.now() / 1000),
      sessionId: tx.sessionId ?? '',
      flow: request.flow,
    };
    const code = this.runtime.issuedTokens.issueCode({
      ...facts,
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      scope: request.scope,
      nonce: request.nonce,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      expiresAt: Date.now() + CODE_LIFETIME_MS,
      redeemed: false,
    });
    this.transactions.finish(tx);
    const fields = {
      code,
      state: request.state,
      client_info: request.clientInfo || request.flow ? clientInfo(user, facts) : undefined,
      session_state: facts.sessionId ? facts.sessionId.slice(0, 16) : undefined,
    };
    return { kind: 'code', target: request, fields, cookie: tx.pendingCookie };
  }

  /** Runs a step of the transaction a form names; an unknown or expired one gets an error page. */
  private withTransaction(
    params: URLSearchParams,
    step: (tx: SignInTransaction) => AuthorizeResponse,
  ): AuthorizeResponse {
    const tx = this.transactions.find(params.get('tx'));
    if (tx) return step(tx);
    return {
      kind: 'page',
      status: 400,
      html: errorPage(
        'AADSTS90014: Your sign-in session expired or is unknown. Start again from the application.',
      ),
    };
  }

  /** Runs a step that follows the sign-in (MFA, consent) with its user; without one, the step that is due. */
  private withSignedInUser(
    params: URLSearchParams,
    step: (tx: SignInTransaction, user: User) => AuthorizeResponse,
  ): AuthorizeResponse {
    return this.withTransaction(params, (tx) => {
      // Posted before anyone signed in: show the step that is due (the sign-in form).
      if (!tx.userOid) return this.proceed(tx);
      const user = this.runtime.directory.findUser(tx.userOid);
      if (user) return step(tx, user);
      // The user was removed meanwhile: sign in again.
      tx.userOid = undefined;
      tx.amr = [];
      return this.proceed(tx);
    });
  }

  /** Ends the flow with an error sent to the client. */
  private fail(tx: SignInTransaction, error: EntraError): AuthorizeResponse {
    this.transactions.finish(tx);
    return { kind: 'error', target: tx.request, error, cookie: tx.pendingCookie };
  }

  /** One of the emulator's pages; the pending SSO cookie goes out with it, once. */
  private page(tx: SignInTransaction, html: string, status = 200): AuthorizeResponse {
    const cookie = tx.pendingCookie;
    tx.pendingCookie = undefined;
    return { kind: 'page', status, html, cookie };
  }
}

/** A B2C sign-up-sign-in flow (`B2C_1_signupsignin`, `B2C_1_susi`...), where "forgot password" is offered. */
function isSignUpSignInFlow(flow: string | undefined): boolean {
  return !!flow && /signup|signin|susi/i.test(flow) && !/reset|edit/i.test(flow);
}
