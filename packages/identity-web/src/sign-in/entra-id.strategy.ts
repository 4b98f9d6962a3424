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
 * The `entra-id` passport strategy as a Nest provider. Override `validate` to refuse users
 * (return `false`) or to adjust what the session keeps.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class OnlyContosoStrategy extends EntraIdStrategy {
 *   override validate(user: SignedInUser) { return user.username.endsWith('@contoso.com') ? user : false; }
 * }
 * // providers: [{ provide: EntraIdStrategy, useClass: OnlyContosoStrategy }]
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

  /** Called with the user and the ID token's claims once the sign-in checked out. */
  validate(user: SignedInUser, _claims: JWTPayload): SignedInUser | false {
    return user;
  }
}
