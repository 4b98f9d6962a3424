import type { Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuthorizeForScopesFilter } from './authorize-for-scopes.filter';
import { AuthorizeForScopesValidator } from './authorize-for-scopes.validator';
import { ChallengeScopesInterceptor } from './challenge-scopes.interceptor';

/**
 * Providers of the consent part, registered by IdentityWebModule: what `@AuthorizeForScopes()`
 * injects, and the interceptor applied to every route so challenges are found everywhere.
 */
export const consentProviders: Provider[] = [
  AuthorizeForScopesFilter,
  AuthorizeForScopesValidator,
  { provide: APP_INTERCEPTOR, useClass: ChallengeScopesInterceptor },
];
