import { IdentityWebError } from './identity-web.error';

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
  override readonly name: string = 'DownstreamApiError';

  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: unknown,
  ) {
    // The message reaches logs: no query string (it may hold keys or SAS signatures) and no
    // body; both stay on `url` and `body`.
    super('downstream_api_error', `${method} ${withoutQuery(url)} answered ${status}`);
  }
}

/**
 * A downstream API redirected the call somewhere the library does not follow: more hops than
 * `MaxRedirects` (a loop), another origin for a method other than GET or HEAD (unless
 * `AllowCrossOriginRedirects`), https to http, or a stream body that cannot be sent again. `status`,
 * `headers` and `body` are the redirect's; `reason` says why it stopped, without the target's path
 * or query.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof DownstreamApiRedirectError) logger.warn(err.reason); throw err; }
 * ```
 */
export class DownstreamApiRedirectError extends DownstreamApiError {
  override readonly name = 'DownstreamApiRedirectError';

  constructor(
    method: string,
    url: string,
    status: number,
    headers: Record<string, string>,
    body: unknown,
    /** Why the redirect was not followed. */
    readonly reason: string,
  ) {
    super(method, url, status, headers, body);
    this.message = `${this.message}: ${reason}`;
  }
}

function withoutQuery(url: string): string {
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
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
      `${method} ${withoutQuery(url)} did not answer${networkCode ? ` (${networkCode})` : ''}.`,
    );
  }
}
