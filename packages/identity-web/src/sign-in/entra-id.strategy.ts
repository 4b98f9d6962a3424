import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { JWTPayload } from 'jose';
import { IdentityWebOptions } from '../options/identity-web.options';
import { AuthorizationCodeClient } from './authorization-code.client';
import { EntraIdOidcStrategy } from './entra-id-oidc.strategy';
import { IdTokenValidator } from './id-token.validator';
import { PendingSignInStore } from './pending-sign-in.store';
import type { SignedInUser } from '../token-acquisition/signed-in-user';

/**
 * The `entra-id` passport strategy as a Nest provider: sign-in with the authorization code flow
 * and PKCE, the ID token validated before anything is kept. To accept, enrich or refuse the users
 * whose sign-in checked out, subclass it, override `validate` (return the user to keep, or `false`
 * to refuse: the callback answers 400 and no session is created) and name the subclass in
 * `signInStrategy`.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class ContosoOnlyStrategy extends EntraIdStrategy {
 *   override validate(user: SignedInUser) { return user.username.endsWith('@contoso.com') ? user : false; }
 * }
 * IdentityWebModule.forRoot({ ...appsettings, signInStrategy: ContosoOnlyStrategy });
 * ```
 */
@Injectable()
export class EntraIdStrategy extends PassportStrategy(EntraIdOidcStrategy, 'entra-id') {
  constructor(
    options: IdentityWebOptions,
    codes: AuthorizationCodeClient,
    validator: IdTokenValidator,
    pending: PendingSignInStore,
  ) {
    super({ options, codes, validator, pending });
  }

  /**
   * Called with the user and the validated ID token's claims once the sign-in checked out: the
   * user to keep in the session, or `false` to refuse the sign-in.
   */
  validate(user: SignedInUser, _claims: JWTPayload): SignedInUser | false | Promise<SignedInUser | false> {
    return user;
  }
}
