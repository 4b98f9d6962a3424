import { IdentityWebError } from './identity-web.error';

/**
 * The user must go through the identity provider again before a token can be had: consent is
 * missing (AADSTS65001), a conditional-access policy asks for MFA or other claims, or nothing is
 * cached for the user (after a restart, or after sign-out elsewhere).
 * `@AuthorizeForScopes()` turns it into a round trip that lands the user back where they were.
 *
 * @example
 * ```ts
 * catch (err) {
 *   if (err instanceof ChallengeUserException) return res.redirect(`/account/challenge?scope=${err.scopes.join(' ')}`);
 *   throw err;
 * }
 * ```
 */
export class ChallengeUserException extends IdentityWebError {
  override readonly name = 'ChallengeUserException';

  constructor(
    /** The scopes the failed request asked for. */
    readonly scopes: readonly string[],
    message: string,
    options: {
      /** Claims the identity provider demands (a JSON string), to send as the `claims` parameter. */
      claims?: string;
      /** B2C / External ID user flow to run, when not the default sign-up-sign-in flow. */
      userFlow?: string;
      /** The MSAL error code that caused the challenge, such as `consent_required`. */
      msalErrorCode?: string;
      cause?: unknown;
    } = {},
  ) {
    super('challenge_user', message, { cause: options.cause });
    this.claims = options.claims;
    this.userFlow = options.userFlow;
    this.msalErrorCode = options.msalErrorCode;
  }

  readonly claims: string | undefined;
  readonly userFlow: string | undefined;
  readonly msalErrorCode: string | undefined;
}
