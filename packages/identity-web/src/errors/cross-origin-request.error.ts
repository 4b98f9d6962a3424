import { IdentityWebError } from './identity-web.error';

/**
 * A page on another origin (another site, another port, a sibling subdomain) sent an unsafe
 * request (POST, PUT, PATCH, DELETE) with the user's session cookie, and the route does not accept
 * cross-origin requests. Answered 403; nothing ran. Its `code` is `cross_origin_request`.
 *
 * @example
 * ```ts
 * if (err instanceof IdentityWebError && err.code === 'cross_origin_request') audit(req);
 * ```
 */
export class CrossOriginRequestError extends IdentityWebError {
  override readonly name = 'CrossOriginRequestError';
  constructor(message: string) {
    super('cross_origin_request', message);
  }
}
