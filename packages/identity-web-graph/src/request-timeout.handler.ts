import { GraphClientError, type Context, type Middleware } from '@microsoft/microsoft-graph-client';

/**
 * Graph middleware placed right before the HTTP handler: bounds each attempt (the retry handler
 * may make several) with its own time-out, combined with any signal the caller passed, so an
 * unreachable or silent Graph fails with a clear `GraphClientError` instead of hanging.
 *
 * @example
 * ```ts
 * chain.splice(chain.length - 1, 0, new RequestTimeoutHandler(30_000));
 * ```
 */
export class RequestTimeoutHandler implements Middleware {
  private next?: Middleware;
  /** The caller's own signal per request options object, before we combined it. */
  private readonly callerSignals = new WeakMap<object, AbortSignal | null>();

  constructor(private readonly timeoutMs: number) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error('RequestTimeoutHandler must not be the last middleware of the chain.');
    const options = (context.options ??= {});
    if (!this.callerSignals.has(options)) this.callerSignals.set(options, options.signal ?? null);
    const callerSignal = this.callerSignals.get(options);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    options.signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    try {
      await this.next.execute(context);
    } catch (error) {
      if (!timeout.aborted || callerSignal?.aborted) throw error;
      const url = typeof context.request === 'string' ? context.request.split('?')[0] : 'the request';
      const timedOut = new GraphClientError(
        `Microsoft Graph did not answer within ${this.timeoutMs} ms (${options.method ?? 'GET'} ${url}).`,
      );
      Object.defineProperty(timedOut, 'cause', { value: error, configurable: true, writable: true });
      throw timedOut;
    }
  }
}
