import type { AuthorizeForScopesOptions } from './authorize-for-scopes.options';

/**
 * The `@AuthorizeForScopes()` options of the route whose handler raised a challenge, by request:
 * `null` for a route without the decorator. Weakly held, so a finished request takes its entry along.
 */
const routes = new WeakMap<object, AuthorizeForScopesOptions | null>();

/** Remembers the options of the route serving `request` (`undefined`: the route has none). */
export function rememberChallengeRoute(
  request: object,
  options: AuthorizeForScopesOptions | undefined,
): void {
  routes.set(request, options ?? null);
}

/**
 * The remembered options: an object for a decorated route, `null` for an undecorated one, and
 * `undefined` when the challenge never passed the interceptor (raised by a guard, say).
 */
export function challengeRouteOf(request: object): AuthorizeForScopesOptions | null | undefined {
  return routes.get(request);
}
