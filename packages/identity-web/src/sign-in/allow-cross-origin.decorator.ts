import { SetMetadata } from '@nestjs/common';

/**
 * Metadata key set by {@link AllowCrossOrigin}, for guards of your own that should let the same
 * routes through.
 *
 * @example
 * ```ts
 * if (reflector.getAllAndOverride<boolean>(ALLOW_CROSS_ORIGIN_KEY, [context.getHandler(), context.getClass()])) return true;
 * ```
 */
export const ALLOW_CROSS_ORIGIN_KEY = 'identity-web:allow-cross-origin';

/**
 * Lets pages on other origins send unsafe requests (POST, PUT, PATCH, DELETE) with the user's
 * session cookie to a route or a whole controller, which the module's cross-origin protection
 * otherwise refuses with 403. For origins you trust everywhere, list them in
 * `IdentityWeb:TrustedOrigins` instead.
 *
 * @example
 * ```ts
 * @Controller('webhooks')
 * export class PaymentReturnController {
 *   @AllowCrossOrigin() // the payment provider's page posts back here
 *   @Post('return')
 *   paid(@Body() body: PaymentResult) { return this.orders.markPaid(body); }
 * }
 * ```
 */
export const AllowCrossOrigin = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOW_CROSS_ORIGIN_KEY, true);
