import { randomUUID } from 'node:crypto';

/**
 * An error in Microsoft Graph's shape: `{ error: { code, message, innerError: { date, request-id } } }`.
 *
 * @example
 * ```ts
 * throw new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
 * ```
 */
export class GraphError extends Error {
  override readonly name = 'GraphError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** The JSON body Graph sends. */
  toBody(clientRequestId: string): Record<string, unknown> {
    return {
      error: {
        code: this.code,
        message: this.message,
        innerError: {
          date: new Date().toISOString().replace(/\.\d+Z$/, ''),
          'request-id': randomUUID(),
          'client-request-id': clientRequestId,
        },
      },
    };
  }
}
