import { ForbiddenException, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { BearerStrategy, type ITokenPayload } from 'passport-azure-ad';
import type { Caller } from './caller';
import { TodoApiSettings } from './todo-api.settings';

/** The scope a user's token needs, and the app role an app's token needs instead. */
export const REQUIRED_SCOPE = 'access_as_user';
export const REQUIRED_APP_ROLE = 'Todo.ReadWrite.All';

/** The passport strategy name the guard refers to. */
export const AZURE_AD_BEARER = 'azure-ad-bearer';

/**
 * passport-azure-ad's `BearerStrategy`: it loads the authority's OpenID metadata and checks the
 * token's signature, issuer, audience and lifetime (failing → 401). `validate` then asks for the
 * `access_as_user` scope, or the `Todo.ReadWrite.All` role for app tokens (failing → 403).
 */
@Injectable()
export class AzureAdBearerStrategy extends PassportStrategy(BearerStrategy, AZURE_AD_BEARER) {
  constructor(settings: TodoApiSettings) {
    super({
      identityMetadata: settings.identityMetadata,
      clientID: settings.audiences[0],
      audience: settings.audiences,
      validateIssuer: true,
      passReqToCallback: false,
      // Errors only, and never a token or a claim in the log.
      loggingLevel: 'error',
      loggingNoPII: true,
    });
  }

  validate(token: ITokenPayload): Caller {
    const scopes = typeof token.scp === 'string' ? token.scp.split(' ').filter(Boolean) : [];
    const roles = Array.isArray(token.roles) ? token.roles : [];
    if (!scopes.includes(REQUIRED_SCOPE) && !roles.includes(REQUIRED_APP_ROLE)) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'insufficient_scope',
        message: `The access token needs the ${REQUIRED_SCOPE} scope (or, for an application, the ${REQUIRED_APP_ROLE} role).`,
      });
    }
    return { oid: String(token.oid ?? token.sub), scopes, roles };
  }
}
