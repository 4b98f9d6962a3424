import { Catch, Injectable, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AuthorizeForScopesFilter } from './consent/authorize-for-scopes.filter';
import { ChallengeInChain, findChallenge } from './consent/challenge-in-chain';
import { ConsentDeclinedError, DownstreamApiError, IdentityWebError, RepeatedChallengeError } from './errors';
import type { IdentityWebErrorCode } from './errors';
import { IdentityWebOptions } from './options/identity-web.options';
import { accountRoute, appOrigin } from './sign-in/app-urls';
import { acceptsHtml, isBrowserNavigation, requestPathAndQuery } from './http/browser-request';
import { callerPage } from './http/caller-page';
import { renderErrorPage } from './http/error-page';
import { retryAfterSeconds } from './http/retry-after';

/** Every code has its status: a new code without one does not compile. */
const STATUS_BY_CODE: Record<IdentityWebErrorCode, number> = {
  idp_unavailable: 503,
  cache_unavailable: 503,
  downstream_api_unavailable: 503,
  idp_error: 502,
  downstream_api_error: 502,
  sign_in_refused: 400,
  consent_declined: 403,
  challenge_repeated: 403,
  cross_origin_request: 403,
  invalid_return_url: 400,
  invalid_argument: 400,
  no_user: 401,
  challenge_user: 401,
  invalid_configuration: 500,
  invalid_call: 500,
};

/** Network error codes of a downstream call that gave up waiting (axios `ECONNABORTED`, `ETIMEDOUT`). */
const TIME_OUT_CODES: ReadonlySet<string> = new Set(['ECONNABORTED', 'ETIMEDOUT']);

const TITLE_BY_CODE: Record<string, string> = {
  sign_in_refused: 'Sign-in failed',
  consent_declined: 'Permission not granted',
  challenge_repeated: 'Permission still missing',
  cross_origin_request: 'Request refused',
  invalid_return_url: 'Invalid return address',
  invalid_argument: 'Bad request',
  no_user: 'Sign-in required',
  challenge_user: 'Sign-in required',
};

/** What visitors read in production for errors whose own message is for the app's developers. */
const SHORT_MESSAGE_BY_CODE: Record<string, string> = {
  sign_in_refused: 'Sign-in could not be completed. Please sign in again.',
  invalid_return_url: 'The return address is not part of this site.',
  invalid_argument: 'The request could not be understood.',
};

/** Codes whose messages are written for the visitor (what was not granted, in words): shown as they are. */
const VISITOR_MESSAGE_CODES: ReadonlySet<string> = new Set([
  'consent_declined',
  'challenge_repeated',
  'cross_origin_request',
]);

/**
 * Turns the library's errors into HTTP responses, and only here: `idp_unavailable`,
 * `cache_unavailable` and `downstream_api_unavailable` → 503 (504 when the downstream API timed
 * out; a `Retry-After` the identity provider sent is passed on), `idp_error` and
 * `downstream_api_error` → 502 (503 with the API's `Retry-After` when the API answered 503 or 429), `sign_in_refused`, `invalid_return_url` and `invalid_argument` → 400, `consent_declined` and `challenge_repeated` → 403 (a page with a link
 * back), `invalid_configuration` and `invalid_call` → 500, `no_user` → a redirect to sign in for
 * browser navigations and 401 otherwise (JSON with a `signInUrl` that returns to the calling
 * page), `challenge_user` (also as the `cause` of another error, or from another copy of the
 * library) → the consent round trip of {@link AuthorizeForScopesFilter} (a redirect to the
 * challenge route, or 401 JSON with its URL).
 * People get a small HTML page with a link home; API callers get `{ error, message, correlationId }`.
 * Every answer carries a correlation id, logged with the details. Server-side failures are described
 * generically; with `ShowErrorDetails` off (the default in production) so are refused sign-ins and
 * bad requests, and with it on the page adds the error's message as development detail. No body
 * ever contains a token. Registered globally by the module.
 *
 * @example
 * ```ts
 * app.useGlobalFilters(new IdentityWebErrorFilter(options, consentFilter)); // the module does this through APP_FILTER
 * ```
 */
@Catch(IdentityWebError, ChallengeInChain)
@Injectable()
export class IdentityWebErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('IdentityWeb');
  /** The advice for an untrusted identity-provider certificate is logged once, not per request. */
  private certificateAdviceLogged = false;

  constructor(
    protected readonly options: IdentityWebOptions,
    protected readonly consent: AuthorizeForScopesFilter,
  ) {}

  catch(caught: IdentityWebError | Error, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw caught;
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (res.headersSent) return;

    if (findChallenge(caught)) return this.consent.catch(caught, host);
    const err = caught as IdentityWebError;
    if (err.code === 'no_user') return this.signInRequired(req, res, err);

    const status = this.statusFor(err);
    const correlationId = randomUUID();
    this.log(err, status, correlationId);
    const retryAfter = isBusyDownstream(err)
      ? retryAfterSeconds(err.headers['retry-after'])
      : (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (status === 503 && typeof retryAfter === 'number' && Number.isFinite(retryAfter)) {
      res.setHeader('Retry-After', String(Math.max(0, Math.ceil(retryAfter))));
    }
    const backUrl =
      err instanceof ConsentDeclinedError || err instanceof RepeatedChallengeError ? err.backUrl : undefined;
    const development = this.showDetails();
    const detail = development && status >= 500 ? err.message : undefined;
    this.send(req, res, status, err.code, this.publicMessage(err, status), {
      backUrl,
      correlationId,
      detail,
      development,
    });
  }

  /** The details, for the log only: server-side failures as errors (with the cause's stack), the rest as warnings. */
  protected log(err: IdentityWebError, status: number, correlationId: string): void {
    const certificate = certificateFailureOf(err);
    if (certificate && !this.certificateAdviceLogged) {
      this.certificateAdviceLogged = true;
      this.logger.error(
        `The identity provider's TLS certificate could not be verified (${certificate}): requests to it ` +
          'fail until this process trusts its certificate authority, and retrying does not help. Set ' +
          'NODE_EXTRA_CA_CERTS to a PEM file holding that CA before Node starts (the variable takes one ' +
          'file: concatenate your usual bundle and the CA if you need both); for the entra-emulator, ' +
          'start the app through `npx entra-emulator exec -- <command>`, which does that.',
      );
    }
    const line = `${err.code} [correlation id ${correlationId}]: ${err.message}`;
    if (status >= 500) this.logger.error(line, err.cause instanceof Error ? err.cause.stack : undefined);
    else this.logger.warn(line);
  }

  /** `IdentityWeb:ShowErrorDetails`: on unless set off or `NODE_ENV=production`. */
  protected showDetails(): boolean {
    return this.options.showErrorDetails !== false;
  }

  /**
   * HTTP status of an error: by its code (500 for a code from a newer copy of the library), and
   * 504 for a downstream API that did not answer in time.
   */
  protected statusFor(err: IdentityWebError): number {
    if (err.code === 'downstream_api_unavailable' && isTimeOut(err)) return 504;
    if (isBusyDownstream(err)) return 503;
    return STATUS_BY_CODE[err.code] ?? 500;
  }

  /**
   * What the visitor may read: a generic text for server-side failures; for 4xx the error's message
   * with `ShowErrorDetails`, else a short one (messages written for visitors are always shown).
   */
  protected publicMessage(err: IdentityWebError, status: number): string {
    if (status < 500) {
      if (this.showDetails() || VISITOR_MESSAGE_CODES.has(err.code)) return err.message;
      return SHORT_MESSAGE_BY_CODE[err.code] ?? 'The request could not be completed.';
    }
    if (err.code === 'downstream_api_unavailable' || isBusyDownstream(err)) {
      return status === 504
        ? 'A service this page depends on did not answer in time. Please try again in a moment.'
        : 'A service this page depends on is unavailable right now. Please try again in a moment.';
    }
    if (certificateFailureOf(err)) {
      return 'The sign-in service cannot be reached securely. The administrator can find the details in the log.';
    }
    if (status === 503) return 'The sign-in service is unavailable right now. Please try again in a moment.';
    if (status === 502) return 'A service this page depends on answered with an error.';
    return 'The application could not complete the request. The administrator can find the details in the log.';
  }

  /** The app's origin, or `undefined` when this request's host is not one it answers to. */
  private originOf(req: Request): string | undefined {
    try {
      return appOrigin(this.options, req);
    } catch {
      return undefined;
    }
  }

  /**
   * Browser navigations go to the sign-in route and come back; other callers get 401 with the
   * `signInUrl` to send the user to, which comes back to the calling page (as a consent challenge's).
   */
  protected signInRequired(req: Request, res: Response, err: IdentityWebError): void {
    const signIn = accountRoute(this.options, 'signin');
    if (isBrowserNavigation(req)) {
      res.redirect(302, `${signIn}?returnUrl=${encodeURIComponent(requestPathAndQuery(req))}`);
      return;
    }
    const origin = this.originOf(req);
    const page = origin === undefined ? '/' : callerPage(req, { origin, fallback: '/' });
    this.send(req, res, 401, err.code, err.message, {
      signInUrl: `${signIn}?returnUrl=${encodeURIComponent(page)}`,
    });
  }

  /**
   * An HTML page for people (with a link back when `extra.backUrl` is given, the correlation id and
   * development detail) or JSON `{ error, message, ...extra }` for API callers.
   */
  protected send(
    req: Request,
    res: Response,
    status: number,
    code: string,
    message: string,
    extra: {
      backUrl?: string;
      signInUrl?: string;
      correlationId?: string;
      detail?: string;
      development?: boolean;
    } = {},
  ): void {
    res.status(status);
    res.setHeader('Cache-Control', 'no-store');
    if (acceptsHtml(req)) {
      const title = TITLE_BY_CODE[code] ?? 'Something went wrong';
      res.type('html').send(renderErrorPage({ status, title, message, ...extra }));
    } else {
      // Development detail is for the page; API callers read the log by correlation id.
      const { backUrl, signInUrl, correlationId } = extra;
      res.json({
        error: code,
        message,
        ...(correlationId ? { correlationId } : {}),
        ...(backUrl ? { backUrl } : {}),
        ...(signInUrl ? { signInUrl } : {}),
      });
    }
  }
}

/** The TLS code of an identity provider whose certificate could not be verified (read by shape). */
function certificateFailureOf(err: IdentityWebError): string | undefined {
  const code = (err as { certificateFailure?: unknown }).certificateFailure;
  return typeof code === 'string' ? code : undefined;
}

/** A `DownstreamApiUnavailableError` whose network code is a time-out (read by shape, not `instanceof`). */
function isTimeOut(err: IdentityWebError): boolean {
  const networkCode = (err as { networkCode?: unknown }).networkCode;
  return typeof networkCode === 'string' && TIME_OUT_CODES.has(networkCode);
}

/** A downstream API that said it is unavailable or overloaded (503, 429): the app is too, for now. */
function isBusyDownstream(err: IdentityWebError): err is DownstreamApiError {
  return err instanceof DownstreamApiError && (err.status === 503 || err.status === 429);
}
