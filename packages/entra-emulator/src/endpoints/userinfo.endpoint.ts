import type { EmulatorRuntime } from '../emulator-runtime';
import { authenticateGraphCaller } from '../graph/graph-auth';
import { GraphError } from '../graph/graph-error';

/**
 * Registers `GET /oidc/userinfo` (the discovery document's `userinfo_endpoint`): like Entra's, it
 * takes a Graph access token and returns the user's OpenID claims.
 *
 * @example
 * ```ts
 * registerUserInfoEndpoint(runtime);
 * ```
 */
export function registerUserInfoEndpoint(runtime: EmulatorRuntime): void {
  runtime.router.add('userinfo', ['GET', 'POST'], /^\/oidc\/userinfo$/, (ctx) => {
    const caller = authenticateGraphCaller(runtime, ctx);
    if (caller.kind !== 'user')
      throw new GraphError(401, 'InvalidAuthenticationToken', 'The token is not a user token.');
    const { user } = caller;
    ctx.sendJson(200, {
      sub: user.oid,
      name: user.displayName,
      given_name: user.givenName,
      family_name: user.surname,
      email: user.username,
    });
  });
}
