import type { EmulatorRuntime } from '../emulator-runtime';
import { authenticateGraphCaller } from '../graph/graph-auth';
import { GraphError } from '../graph/graph-error';
import { pairwiseSubject } from '../tokens/pairwise-subject';

/**
 * Registers `GET /oidc/userinfo` (the discovery document's `userinfo_endpoint`): like Entra's, it
 * takes a Graph access token and returns the user's OpenID claims, with the same pairwise `sub`
 * as the ID token the token's client received (OpenID Connect requires they match).
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
      sub: pairwiseSubject(user, caller.clientId),
      name: user.displayName,
      given_name: user.givenName,
      family_name: user.surname,
      email: user.username,
    });
  });
}
