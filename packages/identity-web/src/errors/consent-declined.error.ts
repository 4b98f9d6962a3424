import { IdentityWebError } from './identity-web.error';

/**
 * The user cancelled a sign-in or consent page at the identity provider (`access_denied`): the
 * app did not get the permissions it asked for. Answered 403 with a page that names them and
 * links back to where the user was. Its `code` is `consent_declined`.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof ConsentDeclinedError) console.log(err.scopes, err.backUrl); }
 * ```
 */
export class ConsentDeclinedError extends IdentityWebError {
  override readonly name = 'ConsentDeclinedError';

  constructor(
    message: string,
    /** The scopes the cancelled request asked for. */
    readonly scopes: readonly string[],
    /** Same-origin page to offer going back to: where the user was, else where they were going. */
    readonly backUrl: string,
  ) {
    super('consent_declined', message);
  }
}
