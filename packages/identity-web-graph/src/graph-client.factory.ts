import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  MiddlewareFactory,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { ClaimsChallengeHandler } from './claims-challenge.handler';
import type { GraphAuthenticationProvider } from './graph-authentication.provider';
import type { IdentityWebGraphOptions } from './graph.options';
import type { GraphServiceClient } from './graph-service-client';
import { rethrowingIdentityErrors } from './identity-errors.proxy';
import { RequestTimeoutHandler } from './request-timeout.handler';

/**
 * Builds the Graph client the module provides: the Graph client's default middleware (auth,
 * retry, redirect, telemetry, HTTP) with the claims-challenge handler after authentication and a
 * per-attempt time-out before the HTTP handler; the base URL and version from the options; and
 * `customHosts` so a non-Microsoft host (an emulator, a proxy) still receives the bearer token.
 *
 * @example
 * ```ts
 * const graph = createGraphServiceClient(new GraphAuthenticationProvider(tokens, options), options);
 * const me = await graph.api('/me').get();
 * ```
 */
export function createGraphServiceClient(
  provider: GraphAuthenticationProvider,
  options: IdentityWebGraphOptions,
): GraphServiceClient {
  const middleware: Middleware[] = [];
  for (const handler of MiddlewareFactory.getDefaultMiddlewareChain(provider)) {
    if (handler instanceof HTTPMessageHandler) middleware.push(new RequestTimeoutHandler(options.timeoutMs));
    middleware.push(handler);
    if (handler instanceof AuthenticationHandler) middleware.push(new ClaimsChallengeHandler(provider));
  }
  const client = Client.initWithMiddleware({
    middleware,
    baseUrl: options.baseUrl,
    defaultVersion: options.version,
    customHosts: options.customHosts.size > 0 ? new Set(options.customHosts) : undefined,
  });
  return rethrowingIdentityErrors(client);
}
