import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { CookieJar } from 'tough-cookie';

/**
 * How to send a {@link navigate} request.
 *
 * @example
 * ```ts
 * const init: NavigateInit = { method: 'POST', form: { to: 'bob@contoso.onmicrosoft.com' }, jar };
 * ```
 */
export interface NavigateInit {
  /** `GET` by default; `POST` when a `form` is given. */
  method?: string;
  /** A form body, sent `application/x-www-form-urlencoded` as a browser submits one. */
  form?: URLSearchParams | Record<string, string>;
  /** A raw body instead of a form (set its `content-type` in `headers`). */
  body?: string;
  /** Extra headers; they replace the navigation headers of the same name. */
  headers?: Record<string, string>;
  /** Cookies to send and to keep the answer's `Set-Cookie` in, as a browser profile does. */
  jar?: CookieJar;
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
}

/**
 * What a {@link navigate} request answered; redirects are not followed.
 *
 * @example
 * ```ts
 * if (response.status === 302) console.log(response.location);
 * ```
 */
export interface NavigationResponse {
  /** The URL requested. */
  url: string;
  status: number;
  /** The `Location` header as sent (often a path). */
  location: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

// What Chromium sends for a top-level navigation; servers use Sec-Fetch-Mode to tell pages from scripts.
const NAVIGATION_HEADERS = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
  'sec-fetch-user': '?1',
};

/**
 * A top-level browser navigation (a typed URL, a link, a form submit) over node:http(s): Node's
 * `fetch` always sends `Sec-Fetch-Mode: cors`, so an app cannot tell it from a script's call.
 * Sends the jar's cookies and stores the answer's; does not follow redirects. HTTPS trusts what
 * Node trusts (`NODE_EXTRA_CA_CERTS`, as `entra-emulator exec` sets it).
 *
 * @example
 * ```ts
 * const page = await navigate(`${appUrl}/profile`, { jar });
 * expect(page.status).toBe(302); // to /account/signin?returnUrl=%2Fprofile
 * ```
 */
export async function navigate(url: string | URL, init: NavigateInit = {}): Promise<NavigationResponse> {
  const target = new URL(url);
  const form = init.form === undefined ? undefined : new URLSearchParams(init.form).toString();
  const body = form ?? init.body;
  const headers: Record<string, string> = {
    ...NAVIGATION_HEADERS,
    ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
    ...init.headers,
  };
  const cookie = init.jar ? await init.jar.getCookieString(target.href) : '';
  if (cookie) headers.cookie = cookie;
  const method = init.method ?? (form === undefined ? 'GET' : 'POST');
  const response = await send(target, method, headers, body, init.timeoutMs ?? 10_000);
  for (const setCookie of response.headers['set-cookie'] ?? []) {
    await init.jar?.setCookie(setCookie, target.href);
  }
  return response;
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
): Promise<NavigationResponse> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          url: url.href,
          status: res.statusCode ?? 0,
          location: res.headers.location,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`${method} ${url.href} timed out after ${timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}
