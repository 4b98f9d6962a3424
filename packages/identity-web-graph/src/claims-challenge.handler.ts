import {
  AuthenticationHandlerOptions,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { getClaimsChallenge } from 'nest-identity-web';
import type { GraphAuthenticationProvider } from './graph-authentication.provider';
import type { GraphTokenOptions } from './graph-token.options';

/**
 * Graph middleware placed right after the authentication handler: when Graph answers 401 with a
 * claims challenge (`WWW-Authenticate: Bearer error="insufficient_claims", claims="..."`, sent by
 * continuous access evaluation and conditional access), it gets a new token (the user's or the
 * app's, as the request was sent) that carries those claims and sends the request once more. If a
 * new user token needs the user (MFA), the token request raises a `ChallengeUserException` with
 * the claims, and the consent round trip runs. Streamed bodies and requests authenticated by
 * another provider are left alone.
 *
 * @example
 * ```ts
 * const chain = MiddlewareFactory.getDefaultMiddlewareChain(provider);
 * chain.splice(1, 0, new ClaimsChallengeHandler(provider));
 * Client.initWithMiddleware({ middleware: chain });
 * ```
 */
export class ClaimsChallengeHandler implements Middleware {
  private next?: Middleware;

  constructor(private readonly provider: GraphAuthenticationProvider) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.nextMiddleware();
    await next.execute(context);
    const response = context.response;
    if (response?.status !== 401 || typeof context.request !== 'string') return;
    const handlerOptions = context.middlewareControl?.getMiddlewareOptions(AuthenticationHandlerOptions) as
      AuthenticationHandlerOptions | undefined;
    if (handlerOptions?.authenticationProvider && handlerOptions.authenticationProvider !== this.provider)
      return;
    const tokenOptions = (handlerOptions?.authenticationProviderOptions ?? {}) as GraphTokenOptions;
    if (!hasAuthorization(context)) return;
    if (!isReplayable(context.options?.body)) return;
    const claims = getClaimsChallenge(response.headers);
    if (!claims) return;

    const token = await this.provider.getAccessToken({
      ...tokenOptions,
      acquireTokenOptions: { ...tokenOptions.acquireTokenOptions, claims, forceRefresh: true },
    });
    await response.body?.cancel().catch(() => undefined);
    setAuthorization(context, `Bearer ${token}`);
    await next.execute(context);
  }

  private nextMiddleware(): Middleware {
    if (!this.next) throw new Error('ClaimsChallengeHandler must not be the last middleware of the chain.');
    return this.next;
  }
}

type HeaderRecord = Record<string, string>;

function hasAuthorization(context: Context): boolean {
  const headers = context.options?.headers;
  if (!headers) return false;
  if (headers instanceof Headers) return headers.has('authorization');
  if (Array.isArray(headers)) return headers.some(([name]) => name.toLowerCase() === 'authorization');
  return Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
}

function setAuthorization(context: Context, value: string): void {
  const options = (context.options ??= {});
  const headers = options.headers;
  if (headers instanceof Headers) {
    headers.set('Authorization', value);
  } else if (Array.isArray(headers)) {
    options.headers = [
      ...headers.filter(([name]) => name.toLowerCase() !== 'authorization'),
      ['Authorization', value],
    ];
  } else {
    const kept = Object.entries((headers ?? {}) as HeaderRecord).filter(
      ([name]) => name.toLowerCase() !== 'authorization',
    );
    options.headers = { ...Object.fromEntries(kept), Authorization: value };
  }
}

/** A body that can be sent a second time: anything but a stream. */
function isReplayable(body: unknown): boolean {
  if (body === undefined || body === null) return true;
  if (typeof body !== 'object') return true;
  return !('getReader' in body) && !('pipe' in body);
}
