/**
 * Every failure the library raises has one of these codes, so callers can branch on `err.code`
 * without `instanceof` (which breaks when two copies of the package are installed).
 *
 * @example
 * ```ts
 * catch (err) {
 *   const code: IdentityWebErrorCode | undefined = err instanceof IdentityWebError ? err.code : undefined;
 *   if (code === 'idp_unavailable') return showRetryLater();
 *   throw err;
 * }
 * ```
 */
export type IdentityWebErrorCode =
  /** Options are missing or malformed; raised at start-up. */
  | 'invalid_configuration'
  /** The user must interact (sign in again, consent, MFA); see {@link ChallengeUserException}. */
  | 'challenge_user'
  /** The identity provider could not be reached, timed out, throttled us or answered 5xx. */
  | 'idp_unavailable'
  /** The identity provider refused the request for a reason interaction cannot fix (bad client secret...). */
  | 'idp_error'
  /** The distributed token cache could not be reached. */
  | 'cache_unavailable'
  /** A sign-in response was refused: state, nonce, code or ID token did not check out. */
  | 'sign_in_refused'
  /** The user cancelled a sign-in or consent page: the permissions asked for were not granted. */
  | 'consent_declined'
  /** A challenge came back right after the user completed a round trip for it: refused to loop. */
  | 'challenge_repeated'
  /** Another origin's page sent an unsafe request with the user's session cookie: refused, 403. */
  | 'cross_origin_request'
  /** A return URL pointed outside this app's origin or was malformed. */
  | 'invalid_return_url'
  /** A downstream API answered with a non-success status. */
  | 'downstream_api_error'
  /** A downstream API could not be reached or did not answer in time. */
  | 'downstream_api_unavailable'
  /** A request's input was unusable (a malformed `claims` or unknown `policy` on an account route): 400. */
  | 'invalid_argument'
  /**
   * The app called the library in a way it cannot serve (a reserved header in downstream API
   * options, an absolute relative path, several scopes for an app token): a bug in the app, 500.
   */
  | 'invalid_call'
  /** A call needing the signed-in user ran outside a request and without an explicit user. */
  | 'no_user';

/**
 * Base class of the library's errors. `cause` keeps the underlying error (an MSAL error,
 * a network error); messages never contain tokens.
 *
 * @example
 * ```ts
 * try { await tokens.getAccessTokenForUser(['user.read']); }
 * catch (err) { if (err instanceof IdentityWebError && err.code === 'idp_unavailable') retryLater(); }
 * ```
 */
export class IdentityWebError extends Error {
  override readonly name: string = 'IdentityWebError';

  constructor(
    readonly code: IdentityWebErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
