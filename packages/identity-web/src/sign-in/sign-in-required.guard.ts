import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IdentityWebOptions } from '../options/identity-web.options';
import { SignedInGuard } from './signed-in.guard';

/**
 * The global guard the module installs (like ASP.NET's fallback authorization policy): every
 * route needs a signed-in user unless it is marked `@AllowAnonymous()` or the module was given
 * `requireSignIn: false`.
 *
 * @example
 * ```ts
 * IdentityWebModule.forRoot({ azureAd, session, requireSignIn: true }); // installs this guard
 * ```
 */
@Injectable()
export class SignInRequiredGuard extends SignedInGuard {
  constructor(
    reflector: Reflector,
    protected readonly options: IdentityWebOptions,
  ) {
    super(reflector);
  }

  protected override shouldSkip(context: ExecutionContext): boolean {
    return this.options.requireSignIn === false || super.shouldSkip(context);
  }
}
