import { type ArgumentsHost, Catch, type ExceptionFilter, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ChallengeUserException } from '../errors';
import { isTopLevelNavigation } from '../http/browser-request';
import { currentRequestContext } from '../token-acquisition/request-context';
import { resolveReturnUrl } from '../http/return-url';
import { IdentityWebConfiguration } from '../options/identity-web.configuration';
import { IdentityWebOptions } from '../options/identity-web.options';
import { OIDC_SCOPES, unionScopes } from '../token-acquisition/scopes';
import { accountRoute, appOrigin } from '../sign-in/app-urls';
import type { SignedInUser } from '../token-acquisition/signed-in-user';
import type { AuthorizeForScopesOptions } from './authorize-for-scopes.options';
import { challengeRouteOf } from './challenge-route';

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
}

/**
 * Turns a `ChallengeUserException` into an incremental-consent or conditional-access round trip
 * that lands the user back where they were. `@AuthorizeForScopes()` applies it to a route with
 * the route's scopes; the module's global error filter uses it for challenges everywhere else. Browser navigations get a 302 to the account
 * challenge route; `fetch`/XHR callers get a 401 whose JSON body says where to send the user.
 * Each step is a protected method an app can override.
 *
 * @example
 * ```ts
 * @Get() @AuthorizeForScopes({ scopes: ['Mail.Read'] }) mail() { ... } // adds Mail.Read to every challenge here
 * ```
 */
@Catch(ChallengeUserException)
@Injectable()
export class AuthorizeForScopesFilter implements ExceptionFilter<ChallengeUserException> {
  constructor(
    protected readonly options: IdentityWebOptions,
    protected readonly configuration: IdentityWebConfiguration,
  ) {}

  catch(exception: ChallengeUserException, host: ArgumentsHost): void {
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
  protected routeOptions(request: Request): AuthorizeForScopesOptions | undefined {
    const decorated = challengeRouteOf(request);
    if (decorated) return decorated;
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
    };
  }

  /** Where the user goes next: the account challenge route, with the round trip's parameters. */
  protected buildChallengeUrl(challenge: ConsentChallenge): string {
    const params = new URLSearchParams({ returnUrl: challenge.returnUrl, scope: challenge.scopes.join(' ') });
    if (challenge.claims) params.set('claims', challenge.claims);
    if (challenge.loginHint) params.set('loginHint', challenge.loginHint);
    if (challenge.domainHint) params.set('domainHint', challenge.domainHint);
    if (challenge.userFlow) params.set('policy', challenge.userFlow);
    return `${accountRoute(this.options, 'challenge')}?${params.toString()}`;
  }

  /**
   * The URL to come back to: the request's own path and query for a GET; for a form POST (or any
   * other method), the same-origin page that submitted it, else the home page. Never a GET on a
   * POST-only route, never another origin.
   */
  protected returnUrl(request: Request): string {
    const origin = appOrigin(this.options, request);
    const fallback = this.options.consent.formPostFallbackUrl;
    if (request.method === 'GET' || request.method === 'HEAD') {
      return resolveReturnUrl(request.originalUrl, { origin, fallback });
    }
    return resolveReturnUrl(request.get('referer') ?? fallback, { origin, fallback });
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

  /** With app-wide handling off, an undecorated route answers 401 and sends nobody anywhere. */
  protected sendInteractionRequired(response: Response, exception: ChallengeUserException): void {
    response.status(401).json({ error: 'interaction_required', message: exception.message });
  }

  protected currentUser(_request: Request): SignedInUser | undefined {
    return currentRequestContext()?.user;
  }
}

const GRAPH_RESOURCE = 'https://graph.microsoft.com';
const OIDC = new Set<string>(OIDC_SCOPES);

/** The resource a scope belongs to; bare scopes (`Mail.Read`) are Microsoft Graph's. */
function resourceOf(scope: string): string {
  const slash = scope.lastIndexOf('/');
  return (slash < 0 ? GRAPH_RESOURCE : scope.slice(0, slash)).toLowerCase();
}

/**
 * Entra refuses `<resource>/.default` together with a named scope of the same resource. The
 * named scope is what needs consent (`.default` only covers what is already granted), so the
 * `.default` goes.
 */
function withoutShadowedDefaults(scopes: string[]): string[] {
  const named = new Set(
    scopes.filter((s) => !OIDC.has(s.toLowerCase()) && !s.endsWith('/.default')).map(resourceOf),
  );
  return scopes.filter((s) => !s.endsWith('/.default') || !named.has(resourceOf(s)));
}
