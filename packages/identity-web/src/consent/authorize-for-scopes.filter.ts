import { type ArgumentsHost, Catch, type ExceptionFilter, Injectable, type Type } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ChallengeUserException } from '../errors';
import { isTopLevelNavigation } from '../http/browser-request';
import { callerPage } from '../http/caller-page';
import { currentRequestContext } from '../token-acquisition/request-context';
import { IdentityWebConfiguration } from '../options/identity-web.configuration';
import { IdentityWebOptions } from '../options/identity-web.options';
import { isOidcScope, OIDC_SCOPES, resourceOf, unionScopes } from '../token-acquisition/scopes';
import { accountRoute, appOrigin } from '../sign-in/app-urls';
import { PendingFormPostStore } from '../sign-in/pending-form-post.store';
import type { SignedInUser } from '../token-acquisition/signed-in-user';
import type { AuthorizeForScopesOptions } from './authorize-for-scopes.options';
import { ChallengeInChain, challengeIn } from './challenge-in-chain';

/** The tenant of personal Microsoft accounts. */
const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

/**
 * Everything the account challenge route needs to start the round trip; what the filter's
 * protected steps pass along, for a subclass that answers differently.
 *
 * @example
 * ```ts
 * protected override buildChallengeUrl(challenge: ConsentChallenge) { return `/consent-first?scope=${challenge.scopes.join(' ')}`; }
 * ```
 */
export interface ConsentChallenge {
  returnUrl: string;
  scopes: string[];
  claims?: string;
  loginHint?: string;
  domainHint?: string;
  userFlow?: string;
  /** Why the user is needed (the MSAL error, such as `consent_required`): the challenge route tells a loop from it. */
  reason?: string;
}

/**
 * Turns a `ChallengeUserException` (also one wrapped as the `cause` of another error, or thrown
 * by a guard) into an incremental-consent or conditional-access round trip that lands the user
 * back where they were. `@AuthorizeForScopes()` applies a subclass carrying the route's options
 * to its route; the module's global error filter uses this class, with the app-wide defaults, for
 * challenges everywhere else. Browser navigations get a 302 to the account challenge route;
 * `fetch`/XHR callers get a 401 whose JSON body says where to send the user, to come back to the
 * calling page. A form post is kept to be sent again after the round trip
 * (`IdentityWeb:Consent:ResubmitFormPosts`). Each step is a protected method an app can override.
 *
 * @example
 * ```ts
 * @Get() @AuthorizeForScopes({ scopes: ['Mail.Read'] }) mail() { ... } // adds Mail.Read to every challenge here
 * ```
 */
@Catch(ChallengeInChain)
@Injectable()
export class AuthorizeForScopesFilter implements ExceptionFilter {
  /** The options of the route this filter serves; `undefined` on the app-wide instance. */
  protected readonly route: AuthorizeForScopesOptions | undefined = undefined;

  constructor(
    protected readonly options: IdentityWebOptions,
    protected readonly configuration: IdentityWebConfiguration,
    protected readonly formPosts: PendingFormPostStore,
  ) {}

  /** Answers `error`, a `ChallengeUserException` or an error caused by one; anything else is thrown back. */
  catch(error: unknown, host: ArgumentsHost): void {
    const exception = challengeIn(error);
    if (!exception) throw error;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const route = this.routeOptions(request);
    if (!route) {
      response.setHeader('Cache-Control', 'no-store');
      this.sendInteractionRequired(response, exception);
      return;
    }
    const challenge = this.buildChallenge(exception, route, request);
    challenge.returnUrl = this.keepFormPost(request, challenge.returnUrl);
    const challengeUrl = this.buildChallengeUrl(challenge);
    response.setHeader('Cache-Control', 'no-store');
    if (isTopLevelNavigation(request)) {
      response.redirect(302, challengeUrl);
      return;
    }
    this.sendChallengeRequired(response, challenge, challengeUrl);
  }

  /**
   * The route's `@AuthorizeForScopes()` options; on other routes the app-wide defaults
   * (`IdentityWeb:Consent`), or `undefined` when app-wide handling is off.
   */
  protected routeOptions(_request: Request): AuthorizeForScopesOptions | undefined {
    if (this.route) return this.route;
    const { appWide, scopes, scopeKeySection, userFlow } = this.options.consent;
    return appWide ? { scopes, scopeKeySection, userFlow } : undefined;
  }

  /** The round trip's parameters: route scopes ∪ the exception's ∪ OIDC scopes, hints, claims. */
  protected buildChallenge(
    exception: ChallengeUserException,
    route: AuthorizeForScopesOptions,
    request: Request,
  ): ConsentChallenge {
    const routeScopes = route.scopeKeySection
      ? this.configuration.getScopes(route.scopeKeySection)
      : (route.scopes ?? []);
    const scopes = withoutShadowedDefaults(unionScopes(routeScopes, exception.scopes, OIDC_SCOPES));
    const user = this.currentUser(request);
    return {
      returnUrl: this.returnUrl(request),
      scopes,
      claims: exception.claims,
      loginHint: user?.username,
      domainHint: user ? (user.tenantId === CONSUMERS_TENANT_ID ? 'consumers' : 'organizations') : undefined,
      // The route's flow (e.g. edit profile) wins over the one the token request ran with.
      userFlow: route.userFlow || exception.userFlow || undefined,
      reason: exception.msalErrorCode || exception.code,
    };
  }

  /**
   * For a form post (any method but GET and HEAD) of a signed-in user, keeps what was posted so
   * the resubmit page sends it again after the round trip, and returns that page's URL; otherwise
   * (resubmission turned off, no user) `returnUrl` unchanged.
   */
  protected keepFormPost(request: Request, returnUrl: string): string {
    if (request.method === 'GET' || request.method === 'HEAD') return returnUrl;
    const user = this.currentUser(request);
    const id = user ? this.formPosts.keep(request, user.homeAccountId, returnUrl) : undefined;
    return id === undefined ? returnUrl : `${accountRoute(this.options, 'resubmit')}?id=${id}`;
  }

  /** Where the user goes next: the account challenge route, with the round trip's parameters. */
  protected buildChallengeUrl(challenge: ConsentChallenge): string {
    const params = new URLSearchParams({ returnUrl: challenge.returnUrl, scope: challenge.scopes.join(' ') });
    if (challenge.claims) params.set('claims', challenge.claims);
    if (challenge.loginHint) params.set('loginHint', challenge.loginHint);
    if (challenge.domainHint) params.set('domainHint', challenge.domainHint);
    if (challenge.userFlow) params.set('policy', challenge.userFlow);
    if (challenge.reason) params.set('reason', challenge.reason);
    return `${accountRoute(this.options, 'challenge')}?${params.toString()}`;
  }

  /**
   * The page to come back to (see `callerPage`): a page load's own path and query; for a `fetch`
   * call or a form post, the page that made it (its `X-Return-Url` header, else its same-origin
   * Referer; a GET call, else its own URL), else `FormPostFallbackUrl`. Never a GET on a POST-only
   * route, never another origin.
   */
  protected returnUrl(request: Request): string {
    const fallback = this.options.consent.formPostFallbackUrl;
    let origin: string;
    try {
      origin = appOrigin(this.options, request);
    } catch {
      return fallback; // a host the app does not answer to: the challenge route refuses it
    }
    return callerPage(request, { origin, fallback });
  }

  /** The answer for script callers: 401, `WWW-Authenticate`, and the URL to send the user to. */
  protected sendChallengeRequired(
    response: Response,
    challenge: ConsentChallenge,
    challengeUrl: string,
  ): void {
    response
      .status(401)
      .set(
        'WWW-Authenticate',
        `Bearer error="interaction_required", error_description="user interaction required", scope="${challenge.scopes.join(' ')}"`,
      )
      .json({
        error: 'interaction_required',
        message: 'The user must consent or sign in again; send them to challengeUrl.',
        challengeUrl,
        scopes: challenge.scopes,
      });
  }

  /**
   * With app-wide handling off, an undecorated route answers 401 and sends nobody anywhere. The
   * exception's message (the identity provider's, naming its authority and error codes) is not
   * sent: visitors read a fixed text, the scopes say what is missing.
   */
  protected sendInteractionRequired(response: Response, exception: ChallengeUserException): void {
    response.status(401).json({
      error: 'interaction_required',
      message: 'The user must consent or sign in again before this request can succeed.',
      scopes: exception.scopes,
    });
  }

  protected currentUser(_request: Request): SignedInUser | undefined {
    return currentRequestContext()?.user;
  }
}

/**
 * The filter class `@AuthorizeForScopes(options)` puts on its route: this filter with the route's
 * options built in. Nest hands exception filters no route, so each decorated route gets its own class.
 *
 * @example
 * ```ts
 * UseFilters(routeFilterClass({ scopes: ['Mail.Read'] }));
 * ```
 */
export function routeFilterClass(route: AuthorizeForScopesOptions): Type<AuthorizeForScopesFilter> {
  return class RouteAuthorizeForScopesFilter extends AuthorizeForScopesFilter {
    protected override readonly route = route;
  };
}

/**
 * Entra refuses `<resource>/.default` together with a named scope of the same resource. The
 * named scope is what needs consent (`.default` only covers what is already granted), so the
 * `.default` goes.
 */
function withoutShadowedDefaults(scopes: string[]): string[] {
  const named = new Set(scopes.filter((s) => !isOidcScope(s) && !s.endsWith('/.default')).map(resourceOf));
  return scopes.filter((s) => !s.endsWith('/.default') || !named.has(resourceOf(s)));
}
