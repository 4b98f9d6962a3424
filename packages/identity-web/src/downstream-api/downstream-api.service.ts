import { Injectable } from '@nestjs/common';
import { DownstreamApiError } from '../errors';
import { getClaimsChallenge } from '../http/www-authenticate';
import type { HttpMethod } from '../options/downstream-apis.section';
import { IdentityWebOptions } from '../options/identity-web.options';
import { AuthorizationHeaderProvider } from './authorization-header.provider';
import type { DownstreamTransport, TransportResponse } from './downstream-transport';
import { DownstreamTransports } from './downstream-transports';
import { sendFollowingRedirects, type FollowedResponse, type RedirectPolicy } from './redirects';
import type {
  DownstreamApiCallOptions,
  DownstreamApiOverrides,
  DownstreamApiRequest,
  DownstreamApiResponse,
} from './downstream-api.options';
import {
  buildRequestHeaders,
  buildRequestUrl,
  mergeCallOptions,
  parseBody,
  serializeBody,
} from './downstream-api.request';

const DEFAULT_TIMEOUT_MS = 30_000;
const bodyOf = <T>(response: DownstreamApiResponse<T>): T => response.body;

/**
 * Calls the downstream APIs named in `downstreamApis` for the signed-in user or for the app:
 * it gets the token, builds the request, sends it with the API's transport (axios or undici),
 * follows redirects by its own rules, and turns the answer into a result. A 401 is
 * retried once: with a token that satisfies the claims when it carries a claims challenge, else
 * with a freshly acquired token in place of the refused one (dropped from the cache); if that
 * needs the user (refresh token revoked, MFA), a `ChallengeUserException` reaches the consent filter.
 *
 * @example
 * ```ts
 * @Get() list() {
 *   return this.api.getForUser<Todo[]>('TodoList', { relativePath: 'api/todolist' });
 * }
 * ```
 */
@Injectable()
export class DownstreamApiService {
  constructor(
    private readonly options: IdentityWebOptions,
    private readonly authorizationHeaders: AuthorizationHeaderProvider,
    private readonly transports: DownstreamTransports,
  ) {}

  /** GET for the user; the parsed body. */
  getForUser<TOut = unknown>(serviceName: string, overrides?: DownstreamApiOverrides): Promise<TOut> {
    return this.send<TOut>(serviceName, 'GET', undefined, overrides, false);
  }

  /** POST `input` for the user; the parsed body. */
  postForUser<TIn = unknown, TOut = unknown>(
    serviceName: string,
    input: TIn,
    overrides?: DownstreamApiOverrides,
  ): Promise<TOut> {
    return this.send<TOut>(serviceName, 'POST', input, overrides, false);
  }

  /** PUT `input` for the user; the parsed body. */
  putForUser<TIn = unknown, TOut = unknown>(
    serviceName: string,
    input: TIn,
    overrides?: DownstreamApiOverrides,
  ): Promise<TOut> {
    return this.send<TOut>(serviceName, 'PUT', input, overrides, false);
  }

  /** PATCH `input` for the user; the parsed body. */
  patchForUser<TIn = unknown, TOut = unknown>(
    serviceName: string,
    input: TIn,
    overrides?: DownstreamApiOverrides,
  ): Promise<TOut> {
    return this.send<TOut>(serviceName, 'PATCH', input, overrides, false);
  }

  /** DELETE for the user (with an optional body, `null` for none); the parsed body if any. */
  deleteForUser<TIn = unknown, TOut = unknown>(
    serviceName: string,
    input?: TIn | null,
    overrides?: DownstreamApiOverrides,
  ): Promise<TOut> {
    return this.send<TOut>(serviceName, 'DELETE', input, overrides, false);
  }

  /** GET with the app's own token. */
  getForApp<TOut = unknown>(serviceName: string, overrides?: DownstreamApiOverrides): Promise<TOut> {
    return this.send<TOut>(serviceName, 'GET', undefined, overrides, true);
  }

  /** POST `input` with the app's own token. */
  postForApp<TIn = unknown, TOut = unknown>(
    serviceName: string,
    input: TIn,
    overrides?: DownstreamApiOverrides,
  ): Promise<TOut> {
    return this.send<TOut>(serviceName, 'POST', input, overrides, true);
  }

  /** PUT `input` with the app's own token. */
  putForApp<TIn = unknown, TOut = unknown>(
    serviceName: string,
    input: TIn,
    overrides?: DownstreamApiOverrides,
  ): Promise<TOut> {
    return this.send<TOut>(serviceName, 'PUT', input, overrides, true);
  }

  /** PATCH `input` with the app's own token. */
  patchForApp<TIn = unknown, TOut = unknown>(
    serviceName: string,
    input: TIn,
    overrides?: DownstreamApiOverrides,
  ): Promise<TOut> {
    return this.send<TOut>(serviceName, 'PATCH', input, overrides, true);
  }

  /** DELETE with the app's own token. */
  deleteForApp<TIn = unknown, TOut = unknown>(
    serviceName: string,
    input?: TIn | null,
    overrides?: DownstreamApiOverrides,
  ): Promise<TOut> {
    return this.send<TOut>(serviceName, 'DELETE', input, overrides, true);
  }

  /** Any method for the user; status, headers and body, whatever the status. */
  callApiForUser<TOut = unknown>(
    serviceName: string,
    overrides?: DownstreamApiOverrides,
    input?: unknown,
  ): Promise<DownstreamApiResponse<TOut>> {
    return this.exchange<TOut>(serviceName, undefined, input, overrides, false);
  }

  /** Any method with the app's own token; status, headers and body, whatever the status. */
  callApiForApp<TOut = unknown>(
    serviceName: string,
    overrides?: DownstreamApiOverrides,
    input?: unknown,
  ): Promise<DownstreamApiResponse<TOut>> {
    return this.exchange<TOut>(serviceName, undefined, input, overrides, true);
  }

  /** Any method, for the user or the app as the API's `requestAppToken` says; never throws on a status. */
  callApi<TOut = unknown>(
    serviceName: string,
    overrides?: DownstreamApiOverrides,
    input?: unknown,
  ): Promise<DownstreamApiResponse<TOut>> {
    return this.exchange<TOut>(serviceName, undefined, input, overrides, undefined);
  }

  private send<TOut>(
    serviceName: string,
    method: HttpMethod,
    input: unknown,
    overrides: DownstreamApiOverrides | undefined,
    forApp: boolean,
  ): Promise<TOut> {
    return this.exchange<TOut>(serviceName, method, input, overrides, forApp).then(bodyOf);
  }

  /**
   * One call: the request is built once, sent, and sent once more with a fresh token when the
   * API answers 401 (for the claims it demands, if any). Throws on a non-2xx status only when `method` was
   * fixed by a typed helper (`getForUser`...); the `callApi*` family returns every status.
   */
  private async exchange<TOut>(
    serviceName: string,
    method: HttpMethod | undefined,
    input: unknown,
    overrides: DownstreamApiOverrides | undefined,
    forApp: boolean | undefined,
  ): Promise<DownstreamApiResponse<TOut>> {
    const options = mergeCallOptions(this.options.downstreamApis[serviceName], overrides);
    const requestAppToken = forApp ?? options.requestAppToken ?? false;
    const { body, contentType } = serializeBody(input, options);
    const request: DownstreamApiRequest = {
      method: method ?? options.httpMethod ?? 'GET',
      url: buildRequestUrl(serviceName, options),
      headers: buildRequestHeaders(options),
      body,
    };
    if (contentType) request.headers['content-type'] = contentType;
    await options.customizeRequest?.(request);

    const transport = this.transports.get(options.transport ?? this.options.http.transport);
    const policy: RedirectPolicy = {
      maxRedirects: options.maxRedirects ?? this.options.http.maxRedirects,
      allowCrossOrigin: options.allowCrossOriginRedirects ?? false,
      keyPath: `DownstreamApis:${serviceName}`,
    };
    const describe = (answer: TransportResponse): unknown =>
      parseBody(answer.body, answer.headers['content-type'], options);

    const first = await this.sendOnce(transport, request, options, requestAppToken, policy, describe);
    let response = first.response;
    // A 401 from another origin (a redirect took the call there, without the token) is not ours to retry.
    if (response.status === 401 && first.sameOrigin && options.scopes?.length && isReplayable(request.body)) {
      // The token was refused: with a claims challenge, a token for those claims; without one
      // (revoked, or refused for another reason), a fresh token in its place. Once per call: if
      // that needs the user, a ChallengeUserException reaches the consent filter.
      const claims = getClaimsChallenge(response.headers);
      const retryOptions: DownstreamApiCallOptions = {
        ...options,
        acquireTokenOptions: {
          ...options.acquireTokenOptions,
          ...(claims ? { claims } : {}),
          forceRefresh: true,
        },
      };
      ({ response } = await this.sendOnce(
        transport,
        request,
        retryOptions,
        requestAppToken,
        policy,
        describe,
      ));
    }

    const result: DownstreamApiResponse<TOut> = {
      status: response.status,
      headers: response.headers,
      body: describe(response) as TOut,
    };
    if (method && (response.status < 200 || response.status > 299)) {
      throw new DownstreamApiError(request.method, request.url, result.status, result.headers, result.body);
    }
    return result;
  }

  private async sendOnce(
    transport: DownstreamTransport,
    request: DownstreamApiRequest,
    options: DownstreamApiCallOptions,
    requestAppToken: boolean,
    policy: RedirectPolicy,
    describe: (response: TransportResponse) => unknown,
  ): Promise<FollowedResponse> {
    const headers = { ...request.headers };
    if (options.scopes?.length) {
      headers.authorization = await this.authorizationHeader(options, requestAppToken);
    }
    return sendFollowingRedirects(
      transport,
      {
        method: request.method,
        url: request.url,
        headers,
        body: request.body,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal: options.signal,
      },
      policy,
      describe,
    );
  }

  private authorizationHeader(options: DownstreamApiCallOptions, requestAppToken: boolean): Promise<string> {
    // A ChallengeUserException raised here already carries the claims the retry asked with.
    return this.authorizationHeaders.createAuthorizationHeader(options.scopes ?? [], {
      acquireTokenOptions: options.acquireTokenOptions,
      user: options.user,
      requestAppToken,
    });
  }
}

/** A stream body cannot be sent twice, so a 401 on it is returned as is. */
function isReplayable(body: DownstreamApiRequest['body']): boolean {
  return body === undefined || typeof body === 'string' || Buffer.isBuffer(body);
}
