import { Injectable } from '@nestjs/common';
import { IdentityWebError } from '../errors/identity-web.error';
import type { AcquireTokenOptions } from '../options/identity-web.options';
import type { SignedInUser } from '../sign-in/signed-in-user';
import { TokenAcquisitionService } from '../token-acquisition/token-acquisition.service';

/** Options of an authorization header request. */
export interface AuthorizationHeaderOptions {
  acquireTokenOptions?: AcquireTokenOptions;
  /** Act for this user instead of the request's signed-in user. */
  user?: SignedInUser;
  /** With `createAuthorizationHeader`: use the app's own identity (client credentials). */
  requestAppToken?: boolean;
}

/**
 * Builds `Authorization` header values for people who send their own requests (the lower level
 * under `DownstreamApiService`).
 *
 * @example
 * ```ts
 * const header = await headers.createAuthorizationHeaderForUser(['api://todo/access_as_user']);
 * await fetch('https://todo.example.com/api/todolist', { headers: { Authorization: header } });
 * ```
 */
@Injectable()
export class AuthorizationHeaderProvider {
  constructor(private readonly tokens: TokenAcquisitionService) {}

  /** `Bearer <token>` for the signed-in user (or `options.user`) and these scopes. */
  async createAuthorizationHeaderForUser(
    scopes: readonly string[],
    options: AuthorizationHeaderOptions = {},
  ): Promise<string> {
    // The service neither keeps nor changes `scopes` (it copies them for MSAL on a miss).
    const token = await this.tokens.getAccessTokenForUser(
      scopes,
      options.acquireTokenOptions
        ? { ...options.acquireTokenOptions, user: options.user }
        : { user: options.user },
    );
    return `${token.tokenType || 'Bearer'} ${token.accessToken}`;
  }

  /** `Bearer <token>` for the app itself; `scope` is a resource's `/.default` scope. */
  async createAuthorizationHeaderForApp(
    scope: string,
    options: AuthorizationHeaderOptions = {},
  ): Promise<string> {
    const { tenant, claims, forceRefresh, correlationId } = options.acquireTokenOptions ?? {};
    const token = await this.tokens.getAccessTokenForApp(scope, {
      tenant,
      claims,
      forceRefresh,
      correlationId,
    });
    return `${token.tokenType || 'Bearer'} ${token.accessToken}`;
  }

  /** For the app when `options.requestAppToken`, else for the user. */
  async createAuthorizationHeader(
    scopes: readonly string[],
    options: AuthorizationHeaderOptions = {},
  ): Promise<string> {
    if (!options.requestAppToken) return this.createAuthorizationHeaderForUser(scopes, options);
    if (scopes.length !== 1) {
      throw new IdentityWebError(
        'invalid_call',
        `An app token is requested for exactly one scope, the resource's "/.default" scope; got ${scopes.length}.`,
      );
    }
    return this.createAuthorizationHeaderForApp(scopes[0], options);
  }
}
