import type { Readable } from 'node:stream';
import type { DownstreamApiOptions } from '../options/downstream-apis.section';
import type { SignedInUser } from '../token-acquisition/signed-in-user';

/**
 * A request about to be sent, as `customizeRequest` sees it (and may change).
 *
 * @example
 * ```ts
 * await api.getForUser('TodoList', {
 *   customizeRequest: (request: DownstreamApiRequest) => { request.headers['x-request-id'] = randomUUID(); },
 * });
 * ```
 */
export interface DownstreamApiRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | Buffer | Readable | undefined;
}

/**
 * What one call to a downstream API may set: the named API's options plus per-call extras.
 *
 * @example
 * ```ts
 * const call: DownstreamApiCallOptions = { relativePath: 'api/todolist', queryParameters: { top: '5' }, user };
 * await api.getForUser<Todo[]>('TodoList', call);
 * ```
 */
export interface DownstreamApiCallOptions extends DownstreamApiOptions {
  /** Turns the input into the request body. Default: JSON for objects; strings, Buffers and streams as given. */
  serializer?: (input: unknown) => string | Buffer | Readable | undefined;
  /** Turns a response body into the result. Default: JSON when the content type is JSON, text otherwise. */
  deserializer?: (body: Buffer, contentType: string | undefined) => unknown;
  /** Last look at the request before it is sent: add a header, sign it... */
  customizeRequest?: (request: DownstreamApiRequest) => void | Promise<void>;
  /** Act for this user instead of the request's signed-in user (background work). */
  user?: SignedInUser;
  /** Abandons the call when aborted: it then fails with `DownstreamApiUnavailableError` (`ABORT_ERR`). */
  signal?: AbortSignal;
}

/**
 * Per-call changes to a named API's options: an object merged over them, or a function that
 * edits a copy (so `options => options.relativePath = 'api/profile'` ports directly from C#).
 * The shared configuration is never changed.
 *
 * @example
 * ```ts
 * await api.getForUser<Todo[]>('TodoList', { relativePath: 'api/todolist', queryParameters: { top: '5' } });
 * await api.getForUser<Todo[]>('TodoList', (o) => (o.relativePath = 'api/todolist'));
 * ```
 */
export type DownstreamApiOverrides = DownstreamApiCallOptions | ((options: DownstreamApiCallOptions) => void);

/**
 * A downstream API's answer, whatever its status.
 *
 * @example
 * ```ts
 * const { status, body }: DownstreamApiResponse<Todo> = await api.callApiForUser('TodoList', { relativePath: 'api/todolist/1' });
 * if (status === 404) return null;
 * ```
 */
export interface DownstreamApiResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
}
