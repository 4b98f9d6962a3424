import type { Provider } from '@nestjs/common';
import { AuthorizeForScopesFilter } from './authorize-for-scopes.filter';
import { AuthorizeForScopesValidator } from './authorize-for-scopes.validator';

/**
 * Providers of the consent part, registered by IdentityWebModule: the app-wide consent filter the
 * module's error filter hands challenges to, and the start-up check of `@AuthorizeForScopes()`.
 */
export const consentProviders: Provider[] = [AuthorizeForScopesFilter, AuthorizeForScopesValidator];
