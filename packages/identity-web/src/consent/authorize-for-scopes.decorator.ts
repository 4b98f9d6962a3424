import { applyDecorators, SetMetadata, UseFilters } from '@nestjs/common';
import { InvalidConfigurationError } from '../errors';
import { routeFilterClass } from './authorize-for-scopes.filter';
import { AUTHORIZE_FOR_SCOPES, type AuthorizeForScopesOptions } from './authorize-for-scopes.options';

/**
 * Sends the user through consent or conditional access when a call made while handling the
 * request needs it (a `ChallengeUserException`, also when it is the `cause` of another error or
 * thrown by a guard), asking for the route's scopes too, and brings them back to the URL they
 * asked for. On a handler it wins over the controller's.
 * A string argument is a configuration key path, like `ScopeKeySection` in Microsoft.Identity.Web.
 *
 * @example
 * ```ts
 * @Controller('todos')
 * @AuthorizeForScopes('DownstreamApis:TodoList:Scopes')
 * export class TodoController {
 *   @Get('mail') @AuthorizeForScopes({ scopes: ['Mail.Read'] }) mail() { ... }
 * }
 * ```
 */
export function AuthorizeForScopes(
  options: string | AuthorizeForScopesOptions = {},
): ClassDecorator & MethodDecorator {
  const normalized: AuthorizeForScopesOptions =
    typeof options === 'string' ? { scopeKeySection: options } : { ...options };
  if (normalized.scopes?.length && normalized.scopeKeySection) {
    throw new InvalidConfigurationError(
      '@AuthorizeForScopes',
      `takes scopes or scopeKeySection, not both (got scopes and "${normalized.scopeKeySection}").`,
    );
  }
  // The route's own filter carries its options (filters get no route from Nest) and wins over the
  // app's global filters for this route; the metadata is for the start-up check of key sections.
  return applyDecorators(
    SetMetadata(AUTHORIZE_FOR_SCOPES, normalized),
    UseFilters(routeFilterClass(normalized)),
  );
}
