import type { MiddlewareConsumer, Provider } from '@nestjs/common';

/** Providers of the sign-in part (strategy, guards, account routes), registered by IdentityWebModule. */
export const signInProviders: Provider[] = [];

/** Installs the sign-in middleware (session, passport, request context). */
export function configureSignIn(_consumer: MiddlewareConsumer): void {}
