import type { HttpAdapterHost } from '@nestjs/core';
import { InvalidConfigurationError } from './errors';

/**
 * Refuses, at start-up, a Nest app whose HTTP platform is not Express: the session, the account
 * routes and the error pages work on Express's request and response, so on Fastify every protected
 * page would fail at request time instead. Apps without an HTTP server (an application context, a
 * microservice) and testing modules that never create one pass.
 *
 * @example
 * ```ts
 * assertExpressPlatform(adapterHost); // throws InvalidConfigurationError on @nestjs/platform-fastify
 * ```
 */
export function assertExpressPlatform(adapterHost: HttpAdapterHost | undefined): void {
  const adapter = adapterHost?.httpAdapter as { getType?: () => string } | undefined;
  const platform = adapter?.getType?.();
  if (platform === undefined || platform === 'express') return;
  throw new InvalidConfigurationError(
    'IdentityWebModule',
    `needs Nest's Express platform (@nestjs/platform-express), but this app runs on '${platform}'. ` +
      'Create the app with NestFactory.create(AppModule) (Express is the default) instead of a ' +
      `${platform} adapter; a plain Express app can use nest-identity-web/express instead.`,
  );
}
