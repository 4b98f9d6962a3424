import type { Client, GraphRequest } from '@microsoft/microsoft-graph-client';
import { unwrapCarriedError } from './identity-error.carrier';

/** GraphRequest methods that send the request and return its promise. */
const SENDING_METHODS = new Set([
  'get',
  'post',
  'create',
  'put',
  'patch',
  'update',
  'delete',
  'del',
  'getStream',
  'putStream',
]);

function rethrow(error: unknown): never {
  throw unwrapCarriedError(error);
}

function wrapRequest(request: GraphRequest): GraphRequest {
  return new Proxy(request, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !SENDING_METHODS.has(property) || typeof value !== 'function') {
        return value;
      }
      return (...args: unknown[]) =>
        (value as (...a: unknown[]) => Promise<unknown>).apply(receiver, args).catch(rethrow);
    },
  });
}

/**
 * The client as callers see it: every request's promise rejects with the library's own error
 * (`ChallengeUserException`, `IdentityWebError` `no_user`...) when getting the token failed,
 * instead of the Graph client's wrapper, so `instanceof` checks and the module's filters work.
 * Chained calls (`.select()`, `.top()`...) keep returning the wrapped request.
 */
export function rethrowingIdentityErrors(client: Client): Client {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'api') return (path: string) => wrapRequest(target.api(path));
      return Reflect.get(target, property, receiver);
    },
  });
}
