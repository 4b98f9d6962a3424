import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CrossOriginRequestError } from '../errors';
import { requestSite } from '../http/request-site';
import { IdentityWebOptions } from '../options/identity-web.options';
import { ALLOW_CROSS_ORIGIN_KEY } from './allow-cross-origin.decorator';
import { appOrigin } from './app-urls';
import { sessionUser } from './sign-in-session';

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The global guard against cross-site request forgery the module installs: an unsafe request
 * (POST, PUT, PATCH, DELETE) that carries a signed-in session is refused with 403
 * (`cross_origin_request`) when the browser says another origin sent it: `Sec-Fetch-Site` other
 * than `same-origin`/`none`, or, without it, an `Origin` other than the app's. Origins in
 * `IdentityWeb:TrustedOrigins` count as the app's own; `@AllowCrossOrigin()` opts a route out;
 * `IdentityWeb:CrossOriginProtection: false` turns it off. Requests with neither header (not a
 * browser, or a very old one) and requests without a signed-in session (bearer-token APIs) pass.
 *
 * @example
 * ```ts
 * IdentityWebModule.forRoot({ ...appsettings, trustedOrigins: ['https://admin.example'] }); // installs this guard
 * ```
 */
@Injectable()
export class CrossOriginGuard implements CanActivate {
  constructor(
    protected readonly reflector: Reflector,
    protected readonly options: IdentityWebOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.shouldSkip(context)) return true;
    refuseCrossOriginRequest(context.switchToHttp().getRequest<Request>(), this.options);
    return true;
  }

  /** Off for non-HTTP contexts, with `CrossOriginProtection: false`, and on `@AllowCrossOrigin()` routes. */
  protected shouldSkip(context: ExecutionContext): boolean {
    if (context.getType() !== 'http' || this.options.crossOriginProtection === false) return true;
    return (
      this.reflector.getAllAndOverride<boolean>(ALLOW_CROSS_ORIGIN_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }
}

/**
 * The check {@link CrossOriginGuard} makes, for front doors without Nest's guards: throws
 * `CrossOriginRequestError` when `req` is an unsafe request with a signed-in session that the
 * browser says another origin sent (and protection is on); returns otherwise.
 *
 * @example
 * ```ts
 * refuseCrossOriginRequest(req, options); // before a signed-in POST handler runs
 * ```
 */
export function refuseCrossOriginRequest(req: Request, options: IdentityWebOptions): void {
  if (options.crossOriginProtection === false) return;
  if (SAFE_METHODS.has(req.method.toUpperCase()) || !sessionUser(req)) return;
  if (requestSite(req, appOrigin(options, req), options.trustedOrigins) !== 'cross-origin') return;
  throw new CrossOriginRequestError(
    'This request came from another site and was refused, to protect your account. ' +
      'Go back to the application and try again from its own pages.',
  );
}
