import { GraphClientError } from '@microsoft/microsoft-graph-client';

/** Wrappers made by {@link carryThroughGraphClient}, so only ours are unwrapped. */
const carriers = new WeakSet<Error>();

/**
 * Wraps an error thrown while getting a token so it survives the Graph client: the client passes
 * a `GraphClientError` through unchanged but turns any other error into a `GraphError` that keeps
 * only the message. The original is the wrapper's `cause`.
 */
export function carryThroughGraphClient(error: unknown): GraphClientError {
  const message = error instanceof Error ? error.message : String(error);
  const carrier = new GraphClientError(message);
  Object.defineProperty(carrier, 'cause', { value: error, configurable: true, writable: true });
  carriers.add(carrier);
  return carrier;
}

/**
 * The error to hand to the caller: the original token error for a wrapper made by
 * {@link carryThroughGraphClient}, anything else as it is.
 */
export function unwrapCarriedError(error: unknown): unknown {
  return error instanceof Error && carriers.has(error) ? error.cause : error;
}
