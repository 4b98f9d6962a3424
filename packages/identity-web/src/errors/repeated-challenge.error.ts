import { IdentityWebError } from './identity-web.error';

/**
 * The same consent or conditional-access challenge came back right after the user completed a
 * round trip for it: sending them through the identity provider again would loop. Answered 403
 * with a page that says so, instead of another round trip. Its `code` is `challenge_repeated`.
 *
 * @example
 * ```ts
 * throw new RepeatedChallengeError('Mail.Read is still refused after consent.', '/emails');
 * ```
 */
export class RepeatedChallengeError extends IdentityWebError {
  override readonly name = 'RepeatedChallengeError';

  constructor(
    message: string,
    /** Same-origin page to offer going back to. */
    readonly backUrl: string,
  ) {
    super('challenge_repeated', message);
  }
}
