import { DownstreamApiRedirectError } from '../errors';
import type { DownstreamTransport, TransportRequest, TransportResponse } from './downstream-transport';

/** How far one call's redirects are followed. */
export interface RedirectPolicy {
  /** Hops followed; `0` returns the first 3xx as it is. */
  maxRedirects: number;
  /** Follow another origin's redirect for methods other than GET and HEAD too. */
  allowCrossOrigin: boolean;
  /** The API's key path, named in refusals (`DownstreamApis:TodoList`). */
  keyPath: string;
}

/** The final answer, and whether it came from the origin the credentials were meant for. */
export interface FollowedResponse {
  response: TransportResponse;
  sameOrigin: boolean;
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Headers that carry the caller's identity: never sent to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'] as const;

/**
 * Sends `request` and follows its redirects, the library's own rules rather than an HTTP
 * client's: the same origin keeps the headers; another origin gets none of the credentials, and
 * only GET and HEAD go there unless the API allows more; https never goes down to http; 303 (and
 * 301/302 after a POST) become a GET without body, 307/308 resend the body when it can be sent
 * twice; at most `maxRedirects` hops. A refusal throws `DownstreamApiRedirectError` carrying the
 * redirect's answer (`describe` gives its body as the caller would see it).
 */
export async function sendFollowingRedirects(
  transport: DownstreamTransport,
  request: TransportRequest,
  policy: RedirectPolicy,
  describe: (response: TransportResponse) => unknown,
): Promise<FollowedResponse> {
  let current = request;
  let sameOrigin = true;
  for (let hops = 0; ; hops++) {
    const response = await transport.send(current);
    const location = response.headers.location;
    if (!REDIRECT_STATUSES.has(response.status) || !location || policy.maxRedirects === 0) {
      return { response, sameOrigin };
    }
    const refuse = (reason: string): DownstreamApiRedirectError =>
      new DownstreamApiRedirectError(
        current.method,
        current.url,
        response.status,
        response.headers,
        describe(response),
        reason,
      );
    if (hops >= policy.maxRedirects) {
      throw refuse(
        `more than ${policy.maxRedirects} redirects, not followed (a loop?); ${policy.keyPath}:MaxRedirects sets the limit`,
      );
    }
    const next = nextRequest(current, response.status, location, policy, refuse);
    if (next.url.origin !== new URL(current.url).origin) sameOrigin = false;
    current = next.request;
  }
}

function nextRequest(
  current: TransportRequest,
  status: number,
  location: string,
  policy: RedirectPolicy,
  refuse: (reason: string) => Error,
): { request: TransportRequest; url: URL } {
  const from = new URL(current.url);
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw refuse('its Location is not a URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw refuse(`a redirect to a ${target.protocol} URL is not followed`);
  }
  if (from.protocol === 'https:' && target.protocol === 'http:') {
    throw refuse('a redirect from https to http is not followed');
  }
  const toGet =
    status === 303
      ? current.method !== 'HEAD'
      : (status === 301 || status === 302) && current.method === 'POST';
  const method = toGet ? 'GET' : current.method;
  const crossOrigin = target.origin !== from.origin;
  if (crossOrigin && method !== 'GET' && method !== 'HEAD' && !policy.allowCrossOrigin) {
    throw refuse(
      `a ${method} redirected to another origin (${target.origin}) is not followed; ` +
        `${policy.keyPath}:AllowCrossOriginRedirects follows it, without the Authorization header`,
    );
  }
  const headers = { ...current.headers };
  let body = current.body;
  if (toGet) {
    body = undefined;
    delete headers['content-type'];
    delete headers['content-length'];
  } else if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) {
    throw refuse('the request body is a stream, which cannot be sent again');
  }
  if (crossOrigin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
  target.hash = '';
  return { request: { ...current, method, url: target.href, headers, body }, url: target };
}
