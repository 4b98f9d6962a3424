import type { EmulatorPageName } from './sign-in-answers';

/**
 * A sign-in the kit could not complete: the emulator refused an answer (wrong password or MFA
 * code, a user the app may not sign in), showed an error page, or the app refused the response.
 * `message` quotes the page's error (`AADSTS…`); `html` is the whole page, for assertions.
 *
 * @example
 * ```ts
 * await expect(signInOverHttp(appUrl, { ...alice, password: 'wrong' })).rejects.toMatchObject({
 *   name: 'SignInFlowError',
 *   page: 'login',
 * });
 * ```
 */
export class SignInFlowError extends Error {
  override readonly name = 'SignInFlowError';

  constructor(
    message: string,
    /** The URL that answered. */
    readonly url: string,
    /** Its HTTP status (0 when a browser page or no response). */
    readonly status: number,
    /** The page's HTML (or the app's body). */
    readonly html: string,
    /** The emulator page that was refused, when it was one. */
    readonly page?: EmulatorPageName,
  ) {
    super(message);
  }
}
