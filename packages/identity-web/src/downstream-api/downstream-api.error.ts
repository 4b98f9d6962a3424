import { IdentityWebError } from '../errors/identity-web.error';

/**
 * A downstream API answered with a status outside 2xx. Unlike Microsoft.Identity.Web, the
 * response body is kept (parsed when it is JSON) so the caller can see why.
 *
 * @example
 * ```ts
 * try { await api.getForUser('TodoList', { relativePath: 'api/todolist/42' }); }
 * catch (err) { if (err instanceof DownstreamApiError && err.status === 404) return null; throw err; }
 * ```
 */
export class DownstreamApiError extends IdentityWebError {
  override readonly name = 'DownstreamApiError';

  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: unknown,
  ) {
    super('downstream_api_error', `${method} ${url} answered ${status}${describeBody(body)}`);
  }
}

function describeBody(body: unknown): string {
  if (body === undefined || body === '') return '';
  const text =
    typeof body === 'string' ? body : Buffer.isBuffer(body) ? `<${body.length} bytes>` : JSON.stringify(body);
  return `: ${text.length > 500 ? `${text.slice(0, 500)}…` : text}`;
}

/**
 * A downstream API could not be reached, refused the connection or did not answer within
 * `timeoutMs`. Only the method, URL and the network error's code are kept: the request itself
 * (with its `Authorization` header) is dropped so it cannot reach a log.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof DownstreamApiUnavailableError) return cachedCopy(); throw err; }
 * ```
 */
export class DownstreamApiUnavailableError extends IdentityWebError {
  override readonly name = 'DownstreamApiUnavailableError';

  constructor(
    readonly method: string,
    readonly url: string,
    /** The network error's code, such as `ECONNREFUSED` or `ECONNABORTED` (time-out). */
    readonly networkCode: string | undefined,
  ) {
    super(
      'downstream_api_unavailable',
      `${method} ${url} did not answer${networkCode ? ` (${networkCode})` : ''}.`,
    );
  }
}
