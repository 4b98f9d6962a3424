/**
 * An app under test: its URL, or anything with `getUrl()` (a listening `INestApplication`).
 *
 * @example
 * ```ts
 * const app: AppUnderTest = 'http://localhost:3000';
 * ```
 */
export type AppUnderTest = string | URL | { getUrl(): Promise<string> };

const LOOPBACK = new Set(['127.0.0.1', '[::1]', '[::]', '0.0.0.0', 'localhost']);

/**
 * The origin of an app under test, with a loopback address written `localhost`: the app builds
 * its redirect URI from the `Host` it is called with, and the emulator's web app registers
 * `http://localhost/signin-oidc` (any port), not `127.0.0.1` or `[::1]` (what `getUrl()` says).
 *
 * @example
 * ```ts
 * await app.listen(0);
 * await appUrlOf(app); // 'http://localhost:41234'
 * ```
 */
export async function appUrlOf(app: AppUnderTest): Promise<string> {
  const url = new URL(typeof app === 'string' || app instanceof URL ? app : await app.getUrl());
  if (LOOPBACK.has(url.hostname)) url.hostname = 'localhost';
  return url.origin;
}
