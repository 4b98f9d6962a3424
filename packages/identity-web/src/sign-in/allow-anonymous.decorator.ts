import { SetMetadata } from '@nestjs/common';

/** Metadata key set by {@link AllowAnonymous}. */
export const ALLOW_ANONYMOUS_KEY = 'identity-web:allow-anonymous';

/**
 * Lets anonymous users reach a route or a whole controller, which the global sign-in guard
 * otherwise protects (like ASP.NET's `[AllowAnonymous]` against the fallback policy).
 *
 * @example
 * ```ts
 * @Controller()
 * export class HomeController {
 *   @AllowAnonymous()
 *   @Get()
 *   home() { return 'Welcome'; }
 * }
 * ```
 */
export const AllowAnonymous = (): MethodDecorator & ClassDecorator => SetMetadata(ALLOW_ANONYMOUS_KEY, true);
