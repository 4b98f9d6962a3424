import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { retryAfterSeconds } from '../http/retry-after';

/** Why a call to the identity provider failed before it produced an answer MSAL can read. */
export class IdpTransportError extends Error {
  override readonly name = 'IdpTransportError';

  constructor(
    message: string,
    /** HTTP status when the provider answered (5xx, 429, or a body that is not JSON). */
    readonly status?: number,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  /** Seconds the provider asked to wait (its `Retry-After`), when it said. */
  readonly retryAfterSeconds?: number;
}

/** What one MSAL operation saw of the network; read after the operation to classify failures. */
export interface NetworkObservation {
  /** The last transport failure (time-out, refused connection, 5xx, 429), if any. */
  failure?: IdpTransportError;
  /** Requests sent during the operation. */
  requests: number;
}

/**
 * MSAL's network client: global `fetch` with a time-out on every call, so a silent identity
 * provider costs at most `timeoutMs` rather than a hung request. 5xx and 429 answers are
 * reported as {@link IdpTransportError}s (MSAL would otherwise throttle the request for a minute
 * inside a client we throw away anyway). Counts requests, for tests and the benchmark.
 *
 * @example
 * ```ts
 * const http = new IdpHttpClient(10_000);
 * new ConfidentialClientApplication({ auth, system: { networkClient: http.forOperation(observation) } });
 * ```
 */
export class IdpHttpClient {
  /** GET requests sent since start. */
  gets = 0;
  /** POST requests (token requests) sent since start. */
  posts = 0;

  constructor(readonly timeoutMs = 10_000) {}

  /** A network module for one MSAL operation, recording what happened into `observation`. */
  forOperation(observation: NetworkObservation): INetworkModule {
    return {
      sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions) =>
        this.send<T>('GET', url, options, observation),
      sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) =>
        this.send<T>('POST', url, options, observation),
    };
  }

  /** Fetches a JSON document (authority metadata) with the same time-out. */
  async getJson<T>(url: string): Promise<T> {
    const response = await this.send<T>('GET', url, undefined, { requests: 0 });
    if (response.status !== 200) {
      throw new IdpTransportError(`GET ${stripQuery(url)} answered ${response.status}`, response.status);
    }
    return response.body;
  }

  private async fetchText(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
  ): Promise<{ response: Response; text: string }> {
    const response = await fetch(url, {
      method,
      headers: options?.headers,
      body: method === 'POST' ? (options?.body ?? '') : undefined,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    return { response, text: await response.text() };
  }

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    observation: NetworkObservation,
  ): Promise<NetworkResponse<T>> {
    if (method === 'GET') this.gets++;
    else this.posts++;
    observation.requests++;
    const where = `${method} ${stripQuery(url)}`;
    let response: Response;
    let text: string;
    try {
      try {
        ({ response, text } = await this.fetchText(method, url, options));
      } catch (error) {
        // A keep-alive connection the server closed while idle fails at once, before the server
        // saw anything: try once more on a new connection, except for a code redemption (a code
        // must never be sent twice).
        if (!isStaleConnection(error) || isCodeRedemption(options)) throw error;
        ({ response, text } = await this.fetchText(method, url, options));
      }
    } catch (error) {
      // DOMException, which is not always `instanceof Error` (Jest realms): compare by name.
      const name = (error as { name?: unknown } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      const failure = new IdpTransportError(
        timedOut ? `${where} timed out after ${this.timeoutMs} ms` : `${where} failed: ${describe(error)}`,
        undefined,
        { cause: error },
      );
      observation.failure = failure;
      throw failure;
    }
    if (response.status >= 500 || response.status === 429) {
      const retryAfter = response.headers.get('retry-after');
      const failure = new IdpTransportError(
        `${where} answered ${response.status}${retryAfter ? ` (Retry-After: ${retryAfter})` : ''}`,
        response.status,
        { retryAfterSeconds: retryAfterSeconds(retryAfter) },
      );
      observation.failure = failure;
      throw failure;
    }
    let body: T;
    try {
      body = JSON.parse(text) as T;
    } catch (error) {
      const failure = new IdpTransportError(
        `${where} answered ${response.status} with a body that is not JSON`,
        response.status,
        {
          cause: error,
        },
      );
      observation.failure = failure;
      throw failure;
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    return { status: response.status, headers, body };
  }
}

function isStaleConnection(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET';
}

function isCodeRedemption(options: NetworkRequestOptions | undefined): boolean {
  return /(?:^|&)grant_type=authorization_code(?:&|$)/.test(options?.body ?? '');
}

function stripQuery(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? url : url.slice(0, i);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
