/**
 * Scopes every sign-in and every consent round trip asks for besides the APIs'.
 *
 * @example
 * ```ts
 * OIDC_SCOPES; // ['openid', 'profile', 'offline_access']
 * ```
 */
export const OIDC_SCOPES: readonly string[] = ['openid', 'profile', 'offline_access'];

/**
 * The scopes of several lists, in order, trimmed, without empties or case-insensitive repeats
 * (the first spelling is kept).
 *
 * @example
 * ```ts
 * unionScopes(['User.Read'], ['user.read', 'Mail.Read'], OIDC_SCOPES); // ['User.Read', 'Mail.Read', 'openid', ...]
 * ```
 */
export function unionScopes(...lists: ReadonlyArray<readonly string[]>): string[] {
  const seen = new Map<string, string>();
  for (const scope of lists.flat()) {
    const trimmed = scope.trim();
    if (trimmed && !seen.has(trimmed.toLowerCase())) seen.set(trimmed.toLowerCase(), trimmed);
  }
  return [...seen.values()];
}

const GRAPH_RESOURCE = 'https://graph.microsoft.com';
const OIDC = new Set(OIDC_SCOPES);

/**
 * The resource a scope belongs to, lower-cased: what precedes its last `/`; bare scopes
 * (`Mail.Read`) are Microsoft Graph's.
 *
 * @example
 * ```ts
 * resourceOf('api://todo/access_as_user'); // 'api://todo'
 * resourceOf('Mail.Read');                 // 'https://graph.microsoft.com'
 * ```
 */
export function resourceOf(scope: string): string {
  const slash = scope.lastIndexOf('/');
  return (slash < 0 ? GRAPH_RESOURCE : scope.slice(0, slash)).toLowerCase();
}

/**
 * The scopes as MSAL must be given them to find a cached token: Microsoft Graph's named scopes
 * bare (`https://graph.microsoft.com/User.Read` → `User.Read`), because Entra ID answers with
 * Graph's scopes bare and MSAL stores and matches tokens by the scopes answered; asked with the
 * full form, MSAL never finds the cached Graph token and refreshes on every call. Graph's
 * `.default` and every other resource's scopes are kept as given (Entra ID takes both forms).
 *
 * @example
 * ```ts
 * msalScopes(['https://graph.microsoft.com/User.Read', 'api://todo/read']); // ['User.Read', 'api://todo/read']
 * ```
 */
export function msalScopes(scopes: readonly string[]): string[] {
  const prefix = `${GRAPH_RESOURCE}/`;
  return scopes.map((scope) => {
    if (!scope.toLowerCase().startsWith(prefix)) return scope;
    const name = scope.slice(prefix.length);
    return name && name !== '.default' && !name.includes('/') ? name : scope;
  });
}

/** `true` for `openid`, `profile` and `offline_access`, which belong to no resource. */
export function isOidcScope(scope: string): boolean {
  return OIDC.has(scope.toLowerCase());
}

/**
 * The scopes a token request may ask for at once: the OIDC scopes and those of the first resource
 * named. Entra refuses one request for two resources (AADSTS28000), although one authorization
 * request may ask consent for several; the others' tokens come from the refresh token later.
 *
 * @example
 * ```ts
 * oneResourceScopes(['openid', 'api://todo/read', 'User.Read']); // ['openid', 'api://todo/read']
 * ```
 */
export function oneResourceScopes(scopes: readonly string[]): string[] {
  const first = scopes.find((s) => !isOidcScope(s));
  const resource = first === undefined ? undefined : resourceOf(first);
  return scopes.filter((s) => isOidcScope(s) || resourceOf(s) === resource);
}
