import { Injectable } from '@nestjs/common';
import type { AccessToken } from '../token-cache/access-token';
import {
  TokenAcquisitionService,
  type TokenRequestOptions,
} from '../token-acquisition/token-acquisition.service';

/**
 * Options of an authorization header request: `acquireTokenOptions` (tenant, claims, forced
 * refresh, correlation id), `user` to act for instead of the request's signed-in user, and, with
 * `createAuthorizationHeader`, `requestAppToken` to use the app's own identity (client credentials).
 *
 * @example
 * ```ts
 * const options: AuthorizationHeaderOptions = { requestAppToken: true, acquireTokenOptions: { tenant } };
 * ```
 */
export type AuthorizationHeaderOptions = TokenRequestOptions;

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
    options?: AuthorizationHeaderOptions,
  ): Promise<string> {
    // Passed on as given (no copy): the service neither keeps nor changes `scopes` or `options`.
    const forUser = options?.requestAppToken ? { ...options, requestAppToken: false } : options;
    return headerOf(await this.tokens.getAccessToken(scopes, forUser));
  }

  /** `Bearer <token>` for the app itself; `scope` is a resource's `/.default` scope. */
  async createAuthorizationHeaderForApp(
    scope: string,
    options?: AuthorizationHeaderOptions,
  ): Promise<string> {
    return headerOf(
      await this.tokens.getAccessToken([scope], {
        requestAppToken: true,
        acquireTokenOptions: options?.acquireTokenOptions,
      }),
    );
  }

  /**
   * For the app when `options.requestAppToken` (for exactly one `/.default` scope, else an
   * `IdentityWebError` `invalid_call`), else for the user.
   */
  async createAuthorizationHeader(
    scopes: readonly string[],
    options?: AuthorizationHeaderOptions,
  ): Promise<string> {
    return headerOf(await this.tokens.getAccessToken(scopes, options));
  }
}

function headerOf(token: AccessToken): string {
  return `${token.tokenType || 'Bearer'} ${token.accessToken}`;
}
