import type { Provider } from '@nestjs/common';
import { AuthorizeForScopesFilter } from './authorize-for-scopes.filter';
import { ChallengeScopesInterceptor } from './challenge-scopes.interceptor';

/** Providers of the consent part, registered by IdentityWebModule so `@AuthorizeForScopes()` can inject them. */
export const consentProviders: Provider[] = [AuthorizeForScopesFilter, ChallengeScopesInterceptor];
