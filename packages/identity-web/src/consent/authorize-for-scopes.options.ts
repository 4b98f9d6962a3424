/**
 * What `@AuthorizeForScopes()` is told: scopes inline, or where to read them in configuration.
 *
 * @example
 * ```ts
 * const mail: AuthorizeForScopesOptions = { scopes: ['Mail.Read'] };
 * const todo: AuthorizeForScopesOptions = { scopeKeySection: 'DownstreamApis:TodoList:Scopes', userFlow: 'B2C_1_susi' };
 * ```
 */
export interface AuthorizeForScopesOptions {
  /** Scopes to ask consent for, e.g. `['Mail.Read']`. */
  scopes?: string[];
  /** Configuration key path holding the scopes, e.g. `DownstreamApis:TodoList:Scopes`. */
  scopeKeySection?: string;
  /** B2C / External ID user flow to run the challenge with. */
  userFlow?: string;
}

/** Metadata key under which `@AuthorizeForScopes()` keeps its options. */
export const AUTHORIZE_FOR_SCOPES = Symbol('identity-web:authorize-for-scopes');
