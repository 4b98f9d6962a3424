import type { App } from '../directory/directory.types';
import type { EmulatorRuntime } from '../emulator-runtime';
import { TENANT_PREFIX, tenantOf } from '../http/router';
import { redirectUriMatches } from '../sign-in/redirect-uri';
import { signedOutPage } from '../sign-in/sign-in.pages';
import { SSO_COOKIE, type SessionStore } from '../state/session-store';
import { decodeJwt } from '../tokens/jwt';

/**
 * Registers `/{tenant}/oauth2/v2.0/logout`: ends the SSO session (clears the cookie), then
 * redirects to `post_logout_redirect_uri` (with `state`) when the app registered it, else shows a
 * signed-out page. The app is `client_id` or the audience of `id_token_hint`.
 *
 * @example
 * ```ts
 * registerLogoutEndpoint(runtime, sessions);
 * ```
 */
export function registerLogoutEndpoint(runtime: EmulatorRuntime, sessions: SessionStore): void {
  runtime.router.add(
    'logout',
    ['GET', 'POST'],
    new RegExp(`${TENANT_PREFIX}/oauth2/v2\\.0/logout$`, 'i'),
    async (ctx, route) => {
      runtime.resolveTenant(tenantOf(route, ctx.url.searchParams).tenant);
      const params = await ctx.formParams();
      sessions.delete(ctx.cookies()[SSO_COOKIE]);
      const headers = { 'set-cookie': sessions.clearingCookie() };
      const target = params.get('post_logout_redirect_uri');
      const client = clientOf(runtime, params);
      const candidates: App[] = client ? [client] : [...runtime.directory.apps];
      const allowed =
        target !== null &&
        candidates.some((app) =>
          [...app.postLogoutRedirectUris, ...app.redirectUris].some((registered) =>
            redirectUriMatches(registered, target),
          ),
        );
      if (!allowed) {
        ctx.sendHtml(200, signedOutPage(), headers);
        return;
      }
      const url = new URL(target);
      const state = params.get('state');
      if (state !== null) url.searchParams.set('state', state);
      ctx.redirect(url.toString(), headers);
    },
  );
}

function clientOf(runtime: EmulatorRuntime, params: URLSearchParams): App | undefined {
  const clientId = params.get('client_id');
  if (clientId) return runtime.directory.findApp(clientId);
  const hint = params.get('id_token_hint');
  const jwt = hint ? decodeJwt(hint) : undefined;
  // An expired hint is fine (as in Entra), a forged one is not.
  if (!jwt || !runtime.signingKey.verifies(jwt) || typeof jwt.payload.aud !== 'string') return undefined;
  return runtime.directory.findApp(jwt.payload.aud);
}
