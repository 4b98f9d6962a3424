const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Whether a requested redirect URI matches a registered one. Like Entra ID, `http` loopback
 * URIs (`http://localhost`, `http://127.0.0.1`) match on any port; others must match exactly.
 *
 * @example
 * ```ts
 * redirectUriMatches('http://localhost/signin-oidc', 'http://localhost:3000/signin-oidc'); // true
 * ```
 */
export function redirectUriMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  let reg: URL;
  let req: URL;
  try {
    reg = new URL(registered);
    req = new URL(requested);
  } catch {
    return false;
  }
  if (reg.protocol !== 'http:' || !LOOPBACK_HOSTS.includes(reg.hostname)) return false;
  return (
    req.protocol === 'http:' &&
    req.hostname === reg.hostname &&
    req.pathname === reg.pathname &&
    req.search === reg.search &&
    req.username === '' &&
    req.hash === ''
  );
}
