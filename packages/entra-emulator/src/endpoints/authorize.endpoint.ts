import type { EmulatorRuntime } from '../emulator-runtime';
import { TENANT_PREFIX, tenantOf } from '../http/router';
import { AuthorizeError, parseAuthorizeRequest, type AuthorizeRequest } from '../sign-in/authorize-request';
import { sendAuthorizeResponse, type AuthorizeResponse } from '../sign-in/authorize-response';
import { errorPage } from '../sign-in/sign-in.pages';
import { SignInFlow } from '../sign-in/sign-in.flow';
import { SignInTransactions } from '../sign-in/sign-in-transactions';
import { SSO_COOKIE, SessionStore } from '../state/session-store';

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
  const flow = new SignInFlow(runtime, sessions, transactions);

  runtime.router.add(
    'authorize',
    ['GET', 'POST'],
    new RegExp(`${TENANT_PREFIX}/oauth2/v2\\.0/authorize$`, 'i'),
    async (ctx, route) => {
      const { tenant, flow: userFlow } = tenantOf(route, ctx.url.searchParams);
      const params = await ctx.formParams();
      let request: AuthorizeRequest;
      try {
        request = parseAuthorizeRequest(runtime, params, tenant, userFlow);
      } catch (err) {
        if (!(err instanceof AuthorizeError)) throw err;
        sendAuthorizeResponse(ctx, rejection(err));
        return;
      }
      sendAuthorizeResponse(ctx, flow.start(request, ctx.cookies()[SSO_COOKIE]));
    },
  );
  runtime.router.add('sign-in', ['POST'], /^\/_signin\/login$/, async (ctx) =>
    sendAuthorizeResponse(ctx, flow.login(await ctx.formParams())),
  );
  runtime.router.add('sign-in', ['POST'], /^\/_signin\/mfa$/, async (ctx) =>
    sendAuthorizeResponse(ctx, flow.mfa(await ctx.formParams())),
  );
  runtime.router.add('sign-in', ['POST'], /^\/_signin\/consent$/, async (ctx) =>
    sendAuthorizeResponse(ctx, flow.consent(await ctx.formParams())),
  );
  return sessions;
}

/** A request that cannot start: told to the client once its redirect URI is trusted, else shown here. */
function rejection(err: AuthorizeError): AuthorizeResponse {
  if (err.target) return { kind: 'error', target: err.target, error: err.error };
  return { kind: 'page', status: 400, html: errorPage(err.error.message) };
}
