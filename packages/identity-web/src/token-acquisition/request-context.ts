import { AsyncLocalStorage } from 'node:async_hooks';
import type { SignedInUser } from './signed-in-user';

/** What the library knows about the request being served. */
export interface IdentityWebRequestContext {
  user?: SignedInUser;
}

const storage = new AsyncLocalStorage<IdentityWebRequestContext>();

/** Runs `fn` with `context` as the current request context. Set by the module's middleware. */
export function runWithRequestContext<T>(context: IdentityWebRequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current request context, or `undefined` outside a request (background work). */
export function currentRequestContext(): IdentityWebRequestContext | undefined {
  return storage.getStore();
}
