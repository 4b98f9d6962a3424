import type { User } from '../directory/directory.types';
import { formatScope } from '../directory/scope-request';
import { MFA_CODE } from '../directory/default-directory';
import type { EmulatorRuntime } from '../emulator-runtime';
import { EntraError } from '../errors/entra-error';
import { clientInfo } from '../grants/user-token-response';
import type { HttpContext } from '../http/http-context';
import { TENANT_PREFIX, tenantOf } from '../http/router';
import { AuthorizeError, parseAuthorizeRequest, type AuthorizeRequest } from '../sign-in/authorize-request';
import { claimsRequireMfa } from '../sign-in/claims-request';
import { consentPage, errorPage, formPostPage, mfaPage, signInPage } from '../sign-in/sign-in.pages';
import { SignInTransactions, type SignInTransaction } from '../sign-in/sign-in-transactions';
import { SSO_COOKIE, SessionStore } from '../state/session-store';

const CODE_LIFETIME_MS = 10 * 60 * 1000;

/**
 * Registers the authorize endpoint and the sign-in, MFA and consent pages it leads through.
 * Returns the session store (logout clears sessions from it).
 *
 * @example
 * ```ts
 * const sessions = registerAuthorizeEndpoint(runtime);
 * ```
 */
export function registerAuthorizeEndpoint(runtime: EmulatorRuntime): SessionStore {
  const sessions = new SessionStore();
  const transactions = new SignInTransactions();
  runtime.resetHooks.push(
    () => sessions.clear(),
    () => transactions.clear(),
  );
  const flow = new AuthorizeFlow(runtime, sessions, transactions);

  runtime.router.add(
    'authorize',
    ['GET', 'POST'],
    new RegExp(`${TENANT_PREFIX}/oauth2/v2\\.0/authorize$`, 'i'),
    async (ctx, params) => {
      const { tenant, flow: userFlow } = tenantOf(params);
      await flow.start(ctx, await ctx.formParams(), tenant, userFlow);
    },
  );
  runtime.router.add('sign-in', ['POST'], /^\/_signin\/login$/, async (ctx) =>
    flow.login(ctx, await ctx.formParams()),
  );
  runtime.router.add('sign-in', ['POST'], /^\/_signin\/mfa$/, async (ctx) =>
    flow.mfa(ctx, await ctx.formParams()),
  );
  runtime.router.add('sign-in', ['POST'], /^\/_signin\/consent$/, async (ctx) =>
    flow.consent(ctx, await ctx.formParams()),
  );
  return sessions;
}

class AuthorizeFlow {
  constructor(
    private readonly runtime: EmulatorRuntime,
    private readonly sessions: SessionStore,
    private readonly transactions: SignInTransactions,
  ) {}

  async start(
    ctx: HttpContext,
    params: URLSearchParams,
    tenant: string,
    userFlow: string | undefined,
  ): Promise<void> {
    let request: AuthorizeRequest;
    try {
      request = parseAuthorizeRequest(this.runtime, params, tenant, userFlow);
    } catch (err) {
      if (!(err instanceof AuthorizeError)) throw err;
      if (!err.target) {
        ctx.sendHtml(400, errorPage(err.error.message));
        return;
      }
      this.sendResponse(ctx, err.target, errorParams(ctx, err.error, err.target.state));
      return;
    }
    const tx = this.transactions.start(request);
    const session = this.sessions.find(ctx.cookies()[SSO_COOKIE], this.runtime.directory);
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
      this.fail(
        ctx,
        tx,
        new EntraError(
          'login_required',
          50058,
          'A silent sign-in request was sent but no user is signed in.',
        ),
      );
      return;
    }
    this.proceed(ctx, tx);
  }

  login(ctx: HttpContext, params: URLSearchParams): void {
    const tx = this.transaction(ctx, params);
    if (!tx) return;
    if (params.get('action') === 'forgot-password' && isSignUpSignInFlow(tx.request.flow)) {
      // As B2C does: the app is told, and starts its password-reset flow itself.
      this.fail(
        ctx,
        tx,
        new EntraError('access_denied', 90118, 'The user has forgotten their password.', {
          codePrefix: 'AADB2C',
        }),
      );
      return;
    }
    const username = (params.get('username') ?? '').trim();
    const user = this.runtime.directory.findUser(username);
    const tryAgain = (error: string) =>
      ctx.sendHtml(
        200,
        signInPage({
          tx: tx.id,
          username,
          appName: tx.request.client.displayName,
          forgotPassword: isSignUpSignInFlow(tx.request.flow),
          error,
        }),
      );
    if (!user) {
      tryAgain(`AADSTS50034: The user account ${username} does not exist in the directory.`);
      return;
    }
    if (params.get('password') !== user.password) {
      tryAgain('AADSTS50126: Error validating credentials due to invalid username or password.');
      return;
    }
    const session = this.sessions.create(user.oid, ['pwd']);
    Object.assign(tx, { userOid: user.oid, amr: ['pwd'], authTime: session.authTime, sessionId: session.id });
    tx.pendingCookie = this.sessions.cookie(session);
    this.proceed(ctx, tx);
  }

  mfa(ctx: HttpContext, params: URLSearchParams): void {
    const step = this.signedInTransaction(ctx, params);
    if (!step) return;
    const { tx, user } = step;
    if ((params.get('otp') ?? '').trim() !== MFA_CODE) {
      this.page(
        ctx,
        tx,
        mfaPage({
          tx: tx.id,
          username: user.username,
          error: 'AADSTS50074: The code you entered is not valid. Try again.',
        }),
      );
      return;
    }
    tx.amr = [...new Set([...tx.amr, 'mfa'])];
    const session = this.sessions.find(tx.sessionId, this.runtime.directory);
    if (session) session.amr = [...new Set([...session.amr, 'mfa'])];
    this.proceed(ctx, tx);
  }

  consent(ctx: HttpContext, params: URLSearchParams): void {
    const step = this.signedInTransaction(ctx, params);
    if (!step) return;
    const { tx, user } = step;
    if (params.get('decision') !== 'accept') {
      this.fail(
        ctx,
        tx,
        new EntraError('access_denied', 65004, 'User declined to consent to access the app.'),
      );
      return;
    }
    const scopes = this.consentableScopes(tx.request);
    this.runtime.directory.grantConsent({ user: user.oid, clientId: tx.request.client.clientId, scopes });
    tx.consentShown = true;
    this.proceed(ctx, tx);
  }

  /** Runs the next step: sign-in form, MFA, consent, or the code. */
  private proceed(ctx: HttpContext, tx: SignInTransaction): void {
    const { request } = tx;
    const user = tx.userOid ? this.runtime.directory.findUser(tx.userOid) : undefined;
    if (!user) {
      this.page(
        ctx,
        tx,
        signInPage({
          tx: tx.id,
          username: request.loginHint,
          appName: request.client.displayName,
          forgotPassword: isSignUpSignInFlow(request.flow),
        }),
      );
      return;
    }
    const tenantId = this.tokenTenant(request, user);
    if (tenantId instanceof EntraError) {
      this.page(ctx, tx, errorPage(tenantId.message), 400);
      return;
    }
    const needsMfa =
      !tx.amr.includes('mfa') &&
      (user.mfaEnrolled ||
        request.scopes.resources.some((r) => this.runtime.directory.requiresMfa(r)) ||
        claimsRequireMfa(request.claims));
    if (needsMfa) {
      if (request.prompt === 'none') {
        this.fail(
          ctx,
          tx,
          new EntraError(
            'interaction_required',
            50076,
            'Multi-factor authentication is required; interaction is needed.',
          ),
        );
      } else {
        this.page(ctx, tx, mfaPage({ tx: tx.id, username: user.username }));
      }
      return;
    }
    if (!tx.consentShown) {
      const granted = this.runtime.directory.grantedScopeKeys(user, request.client.clientId);
      const consentable = this.consentableScopes(request);
      const missing = consentable.filter((s) => !granted.has(this.runtime.directory.scopeKey(s) ?? s));
      const listed = request.prompt === 'consent' ? consentable : missing;
      if (listed.length > 0) {
        if (request.prompt === 'none') {
          this.fail(
            ctx,
            tx,
            new EntraError(
              'consent_required',
              65001,
              `The user or administrator has not consented to use the application with ID '${request.client.clientId}'.`,
            ),
          );
        } else {
          this.page(
            ctx,
            tx,
            consentPage({
              tx: tx.id,
              appName: request.client.displayName,
              username: user.username,
              scopes: listed,
            }),
          );
        }
        return;
      }
    }
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
      expiresAt: Date.now() + CODE_LIFETIME_MS,
      redeemed: false,
    });
    this.transactions.finish(tx);
    this.sendResponse(
      ctx,
      request,
      {
        code,
        state: request.state,
        client_info: request.clientInfo || request.flow ? clientInfo(user, facts) : undefined,
        session_state: facts.sessionId ? facts.sessionId.slice(0, 16) : undefined,
      },
      tx.pendingCookie,
    );
  }

  /** The tenant tokens are issued in, or why this user cannot sign in to this app here. */
  private tokenTenant(request: AuthorizeRequest, user: User): string | EntraError {
    const { client } = request;
    const tenantId =
      request.tenant.kind === 'tenant'
        ? request.tenant.tenant.id
        : client.signInAudience === 'AzureADMyOrg'
          ? client.tenantId
          : user.tenantId;
    if (client.tenantId !== tenantId && client.signInAudience !== 'AzureADMultipleOrgs') {
      return new EntraError(
        'unauthorized_client',
        700016,
        `Application with identifier '${client.clientId}' was not found in the directory '${tenantId}'.`,
      );
    }
    if (!this.runtime.directory.isMember(user, tenantId)) {
      return new EntraError(
        'access_denied',
        50020,
        `User account '${user.username}' from identity provider 'https://sts.windows.net/${user.tenantId}/' does not exist in tenant '${tenantId}' and cannot access the application '${client.clientId}' in that tenant.`,
      );
    }
    return tenantId;
  }

  /** Scopes the consent page may list: OIDC scopes and named resource scopes (not `.default`). */
  private consentableScopes(request: AuthorizeRequest): string[] {
    return [
      ...request.scopes.oidc,
      ...request.scopes.scopes.filter((s) => s.name !== '.default').map(formatScope),
    ].filter((scope, i, all) => all.indexOf(scope) === i);
  }

  private transaction(ctx: HttpContext, params: URLSearchParams): SignInTransaction | undefined {
    const tx = this.transactions.find(params.get('tx'));
    if (!tx)
      ctx.sendHtml(
        400,
        errorPage(
          'AADSTS90014: Your sign-in session expired or is unknown. Start again from the application.',
        ),
      );
    return tx;
  }

  /**
   * The transaction of a step that follows the sign-in (MFA, consent) with its user; undefined
   * when there is none to go on with (unknown transaction answered, user gone: sign-in again).
   */
  private signedInTransaction(
    ctx: HttpContext,
    params: URLSearchParams,
  ): { tx: SignInTransaction; user: User } | undefined {
    const tx = this.transaction(ctx, params);
    if (!tx) return undefined;
    if (!tx.userOid) {
      // A later step posted before anyone signed in: show the step that is due (the sign-in form).
      this.proceed(ctx, tx);
      return undefined;
    }
    const user = this.runtime.directory.findUser(tx.userOid);
    if (!user) {
      this.restart(ctx, tx);
      return undefined;
    }
    return { tx, user };
  }

  private restart(ctx: HttpContext, tx: SignInTransaction): void {
    tx.userOid = undefined;
    tx.amr = [];
    this.proceed(ctx, tx);
  }

  private fail(ctx: HttpContext, tx: SignInTransaction, error: EntraError): void {
    this.transactions.finish(tx);
    this.sendResponse(ctx, tx.request, errorParams(ctx, error, tx.request.state), tx.pendingCookie);
  }

  private page(ctx: HttpContext, tx: SignInTransaction, html: string, status = 200): void {
    ctx.sendHtml(status, html, tx.pendingCookie ? { 'set-cookie': tx.pendingCookie } : {});
    tx.pendingCookie = undefined;
  }

  private sendResponse(
    ctx: HttpContext,
    target: { redirectUri: string; responseMode: 'query' | 'form_post' },
    fields: Record<string, string | undefined>,
    cookie?: string,
  ): void {
    const headers: Record<string, string> = cookie ? { 'set-cookie': cookie } : {};
    if (target.responseMode === 'form_post') {
      ctx.sendHtml(200, formPostPage(target.redirectUri, fields), headers);
      return;
    }
    const url = new URL(target.redirectUri);
    for (const [name, value] of Object.entries(fields))
      if (value !== undefined) url.searchParams.set(name, value);
    ctx.redirect(url.toString(), headers);
  }
}

/** A B2C sign-up-sign-in flow (`B2C_1_signupsignin`, `B2C_1_susi`...), where "forgot password" is offered. */
function isSignUpSignInFlow(flow: string | undefined): boolean {
  return !!flow && /signup|signin|susi/i.test(flow) && !/reset|edit/i.test(flow);
}

function errorParams(
  ctx: HttpContext,
  error: EntraError,
  state: string | undefined,
): Record<string, string | undefined> {
  return {
    error: error.error,
    error_description: error.describe(ctx.correlationId, ctx.traceId),
    error_codes: String(error.aadsts),
    error_uri: `https://login.microsoftonline.com/error?code=${error.aadsts}`,
    state,
  };
}
