/**
 * `IdentityWeb:Consent`: how a `ChallengeUserException` becomes a consent or conditional-access
 * round trip. `@AuthorizeForScopes()` on a route wins over the defaults here.
 */
import { isSafeReturnUrl } from '../http/return-url';
import { boolean, list, number, section, string } from './option-kinds';
import { readFields } from './option-section';
import type { InputOf, ResolvedOf } from './option-types';
import type { SectionReader } from './section-reader';

/** The keys of `IdentityWeb:Consent`. */
const CONSENT = {
  /**
   * Handle challenges on every route, not only those with `@AuthorizeForScopes()`. Default
   * `true`. When `false`, a challenge on an undecorated route is answered 401 without a round
   * trip (as Microsoft.Identity.Web leaves it to the attribute).
   */
  appWide: boolean().default(true),
  /** Scopes every app-wide round trip asks for, besides the exception's. */
  scopes: list(),
  /** Or a configuration key path holding them, e.g. `DownstreamApis:GraphAPI:Scopes`. */
  scopeKeySection: string(),
  /** User flow of app-wide round trips (B2C / External ID). */
  userFlow: string(),
  /** Where a form POST that needed consent lands when it had no same-origin Referer. Default `/`. */
  formPostFallbackUrl: string({
    rule: (value, at) => {
      if (!isSafeReturnUrl(value) || !value.startsWith('/')) {
        at.section.report.error(at.path, `must be a path of this app, such as '/'${at.got(value)}.`);
      }
      return value;
    },
  }).default('/'),
  /**
   * Keep a form post (url-encoded or JSON, up to `ResubmitMaxBytes`) that needed consent in the
   * session, and send it again once, after the round trip. Default `true`. When `false`, the
   * user lands back on the page that posted it and must send it again.
   */
  resubmitFormPosts: boolean().default(true),
  /** Largest form post kept for resubmission, in bytes. Default 16 384; larger ones are not kept. */
  resubmitMaxBytes: number({ min: 0, integer: true }).default(16_384),
  /** The app's name in the pages shown to users, such as "You did not grant <name> permission…". Default `this app`. */
  applicationName: string().default('this app'),
};

/**
 * How a `ChallengeUserException` becomes a consent or conditional-access round trip
 * (`IdentityWeb:Consent`). `@AuthorizeForScopes()` on a route wins over the defaults here.
 *
 * @example
 * ```ts
 * const consent: ConsentOptions = { appWide: true, scopeKeySection: 'DownstreamApis:GraphAPI:Scopes' };
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface ConsentOptions extends InputOf<typeof CONSENT> {}

/** `consent` once validated: defaults filled in. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so editors show its name
export interface ResolvedConsentOptions extends ResolvedOf<typeof CONSENT> {}

/** Reads `Consent`: its keys, and `Scopes` or `ScopeKeySection`, not both. */
function readConsent(section: SectionReader): ResolvedConsentOptions {
  const consent = readFields(CONSENT, section);
  if (consent.scopes?.length && consent.scopeKeySection) {
    section.report.error(
      section.pathOf('ScopeKeySection'),
      'cannot be given together with Scopes: choose one.',
    );
  }
  // An empty list asks for nothing: the same as none.
  if (!consent.scopes?.length) delete consent.scopes;
  return consent;
}

/** The `CONSENT` section, read with its rules. */
export const CONSENT_SECTION = section<ConsentOptions, ResolvedConsentOptions>(CONSENT, readConsent);
