import {
  ChallengeUserException,
  IdentityProviderError,
  IdentityProviderUnavailableError,
  IdentityWebError,
} from '../errors';
import type { NetworkObservation } from './idp-http.client';

/** MSAL error codes and sub-errors that only the user can resolve, at the identity provider. */
const INTERACTION_CODES = new Set([
  'no_tokens_found',
  'no_account_found',
  'no_account_in_silent_request',
  'native_account_unavailable',
  'refresh_token_expired',
  'interaction_required',
  'consent_required',
  'login_required',
  'bad_token',
  'ui_not_allowed',
  'interrupted_user',
  'basic_action',
  'additional_action',
  'message_only',
  'user_password_expired',
]);

/**
 * AADSTS numbers of an `invalid_grant` on an on-behalf-of request that only the user can
 * resolve (MFA, consent, other Conditional Access). A plain `invalid_grant` there otherwise means
 * the caller's assertion was refused, which the user cannot fix at the identity provider.
 */
const OBO_INTERACTION_ERRORS = new Set(['50076', '50079', '50158', '65001', '53003', '50097']);

/** Sub-errors of `invalid_grant` that are not about the user (MSAL.NET excludes them too). */
const NON_INTERACTIVE_SUB_ERRORS = new Set(['client_mismatch', 'protection_policy_required']);

/** OAuth errors meaning the identity provider is temporarily unable to answer. */
const UNAVAILABLE_CODES = new Set([
  'temporarily_unavailable',
  'server_error',
  'network_error',
  'request_timeout',
]);

/** The fields of an MSAL `AuthError` the library reads (compared by value, not `instanceof`). */
interface MsalErrorLike {
  errorCode?: string;
  subError?: string;
  claims?: string;
  errorNo?: string | number;
}

/**
 * The kind of token request: a user's token got silently (from the cache or with the refresh
 * token), an app token (client credentials), on behalf of a caller, or a sign-in code redeemed.
 */
export type TokenRequestKind = 'user' | 'app' | 'obo' | 'code';

/** What the failed request was, to put in the library error. */
export interface FailedRequest {
  scopes: readonly string[];
  /** Decides what a plain `invalid_grant` means; without it, it is an `idp_error`. */
  kind?: TokenRequestKind;
  authority: string;
  userFlow?: string;
  /** Network activity of the operation, to tell an unreachable provider from a refusal. */
  network?: NetworkObservation;
  /**
   * Claims the request was made with (a resource's claims challenge): the user's round trip must
   * ask for them too, when the identity provider's answer names none.
   */
  claims?: string;
}

/**
 * Turns what MSAL threw into the library's errors, by `errorCode` / `subError` (never
 * `instanceof`: a second copy of msal-common would break it):
 * interaction needed → {@link ChallengeUserException} with the claims the provider asked for;
 * a plain `invalid_grant` (refresh token expired, revoked, password changed: AADSTS700082,
 * 50173, 70043…) on a user's silent request is interaction needed too, as MSAL.NET and
 * Microsoft.Identity.Web treat it, and so is one on an on-behalf-of request carrying claims or an
 * MFA / consent / Conditional Access AADSTS number; on client credentials it stays an `idp_error`;
 * unreachable, timed out, 5xx or 429 → `idp_unavailable`; any other refusal → `idp_error`.
 * Messages name the authority and MSAL's code, never a token; the MSAL error is the `cause`.
 *
 * @example
 * ```ts
 * try { await client.acquireTokenSilent(request); }
 * catch (err) { throw toIdentityWebError(err, { scopes, authority }); }
 * ```
 */
export function toIdentityWebError(error: unknown, request: FailedRequest): IdentityWebError {
  if (error instanceof IdentityWebError) return error;
  const msal = (typeof error === 'object' && error !== null ? error : {}) as MsalErrorLike;
  const code = typeof msal.errorCode === 'string' ? msal.errorCode : '';
  const subError = typeof msal.subError === 'string' ? msal.subError : '';
  const failure = request.network?.failure;

  if (failure || UNAVAILABLE_CODES.has(code)) {
    const why = failure ? failure.message : `MSAL error ${code}`;
    return new IdentityProviderUnavailableError(
      `The identity provider ${request.authority} is unavailable: ${why}.`,
      { cause: error, retryAfterSeconds: failure?.retryAfterSeconds },
    );
  }

  if (
    INTERACTION_CODES.has(subError) ||
    INTERACTION_CODES.has(code) ||
    invalidGrantNeedsUser(msal, request)
  ) {
    const msalErrorCode = subError && INTERACTION_CODES.has(subError) ? subError : code;
    const claims = typeof msal.claims === 'string' && msal.claims ? msal.claims : request.claims || undefined;
    const aadsts = msal.errorNo ? ` (AADSTS${msal.errorNo})` : '';
    return new ChallengeUserException(
      request.scopes,
      `The user must sign in again at ${request.authority} to get a token for ${request.scopes.join(' ')}: ${msalErrorCode}${aadsts}.`,
      { claims, userFlow: request.userFlow, msalErrorCode, cause: error },
    );
  }

  const aadsts = msal.errorNo ? ` (AADSTS${msal.errorNo})` : '';
  const label = code ? `${code}${subError ? `/${subError}` : ''}${aadsts}` : describe(error);
  return new IdentityProviderError(
    `The identity provider ${request.authority} refused the token request for ${request.scopes.join(' ')}: ${label}.`,
    { cause: error },
  );
}

/** Whether an `invalid_grant` without an interaction sub-error still needs the user (see above). */
function invalidGrantNeedsUser(msal: MsalErrorLike, request: FailedRequest): boolean {
  if (msal.errorCode !== 'invalid_grant') return false;
  if (typeof msal.subError === 'string' && NON_INTERACTIVE_SUB_ERRORS.has(msal.subError)) return false;
  if (request.kind === 'user') return true;
  if (request.kind === 'obo') {
    return (
      (typeof msal.claims === 'string' && msal.claims !== '') ||
      (msal.errorNo !== undefined && OBO_INTERACTION_ERRORS.has(String(msal.errorNo)))
    );
  }
  return false;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
