import { RequestMethod, type MiddlewareConsumer, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RequestContextMiddleware } from './request-context.middleware';
import { IdentityWebOptions } from '../options/identity-web.options';
import { Authorities } from '../token-acquisition/authorities';
import { MsalClientFactory } from '../token-acquisition/msal-client.factory';
import { PartitionedTokenCache } from '../token-cache/partitioned-token-cache';
import { AccountRoutesMiddleware } from './account-routes.middleware';
import { AuthorizationCodeClient } from './authorization-code.client';
import { CallbackCodeShield } from './callback-code.shield';
import { EntraIdStrategy } from './entra-id.strategy';
import { IdTokenValidator } from './id-token.validator';
import { PendingFormPostStore } from './pending-form-post.store';
import { PendingSignInStore } from './pending-sign-in.store';
import { ResubmitHandler } from './resubmit.handler';
import { IdentityWebEntryMiddleware } from './identity-web-entry.middleware';
import { SessionMiddleware } from './session.middleware';
import { SessionStoreProvider } from './session-store.provider';
import { SignInHandler } from './sign-in.handler';
import { SignOutHandler } from './sign-out.handler';
import { SignInRequiredGuard } from './sign-in-required.guard';
import { SignedInGuard } from './signed-in.guard';
import { CrossOriginGuard } from './cross-origin.guard';

/** Providers of the sign-in part (strategy, guards, account routes), registered by IdentityWebModule. */
export const signInProviders: Provider[] = [
  {
    provide: AuthorizationCodeClient,
    useFactory: (
      options: IdentityWebOptions,
      authorities: Authorities,
      clients: MsalClientFactory,
      cache: PartitionedTokenCache,
    ) => new AuthorizationCodeClient(options, authorities, clients, cache),
    inject: [IdentityWebOptions, Authorities, MsalClientFactory, PartitionedTokenCache],
  },
  SessionStoreProvider,
  PendingSignInStore,
  PendingFormPostStore,
  SignInHandler,
  ResubmitHandler,
  SignOutHandler,
  IdTokenValidator,
  EntraIdStrategy,
  SignedInGuard,
  CallbackCodeShield,
  { provide: APP_GUARD, useClass: SignInRequiredGuard },
  { provide: APP_GUARD, useClass: CrossOriginGuard },
  // The parts of the module's one middleware (configureSignIn).
  SessionMiddleware,
  RequestContextMiddleware,
  AccountRoutesMiddleware,
];

/** Installs the sign-in middleware on every route, as one layer: session, request context, account routes. */
export function configureSignIn(consumer: MiddlewareConsumer): void {
  consumer.apply(IdentityWebEntryMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
}
