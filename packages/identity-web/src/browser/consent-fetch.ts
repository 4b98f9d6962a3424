// Browser code. Each exported function must stay self-contained (no imports, no module-level
// helpers): the account routes serve them to pages as a script built from their source text.

/**
 * Options of {@link createConsentFetch}.
 *
 * @example
 * ```ts
 * const options: ConsentFetchOptions = { onChallenge: (url) => showBanner(url) };
 * ```
 */
export interface ConsentFetchOptions {
  /** The `fetch` to wrap. Default: the page's own `fetch`. */
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** The page to come back to after the round trip. Default: this page (path, query and fragment). */
  returnUrl?: () => string;
  /**
   * What to do when the app answers that the user must sign in or consent: by default the page
   * goes to `url` (`location.assign`) and the call's promise never settles, as the page is leaving.
   * Given this, the wrapper calls it and resolves with the 401 response instead.
   */
  onChallenge?: (url: string, response: Response) => void;
}

/**
 * A `fetch` for pages of an app that uses nest-identity-web: it tells the app which page is
 * calling (the `X-Return-Url` header, on same-origin calls only) and, when the app answers 401
 * with a `challengeUrl` (consent or conditional access needed) or a `signInUrl` (the session has
 * ended), sends the browser there; the user comes back to this page afterwards. Every other
 * answer is returned as `fetch` would. The analogue of Microsoft.Identity.Web's Blazor
 * `MicrosoftIdentityConsentAndConditionalAccessHandler`.
 *
 * @example
 * ```ts
 * import { createConsentFetch } from 'nest-identity-web/browser';
 * const api = createConsentFetch();
 * const messages = await (await api('/api/emails?top=5')).json();
 * ```
 */
export function createConsentFetch(
  options: ConsentFetchOptions = {},
): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const returnUrl = options.returnUrl ?? (() => location.pathname + location.search + location.hash);
  return async function consentFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const isRequest = typeof Request !== 'undefined' && input instanceof Request;
    const target = new URL(isRequest ? (input as Request).url : String(input), location.href);
    const sameOrigin = target.origin === location.origin;
    let sent = init;
    if (sameOrigin) {
      const headers = new Headers(init?.headers ?? (isRequest ? (input as Request).headers : undefined));
      if (!headers.has('x-return-url')) headers.set('x-return-url', returnUrl());
      sent = { ...init, headers };
    }
    const response = await send(input, sent);
    if (response.status !== 401 || !sameOrigin) return response;
    if (!(response.headers.get('content-type') ?? '').includes('json')) return response;
    let body: { challengeUrl?: unknown; signInUrl?: unknown } | null;
    try {
      body = (await response.clone().json()) as typeof body;
    } catch {
      return response;
    }
    const next = body?.challengeUrl ?? body?.signInUrl;
    // Only a path of this app: an answer cannot send the page to another site.
    if (typeof next !== 'string' || !/^\/(?![/\\])/.test(next)) return response;
    if (options.onChallenge) {
      options.onChallenge(next, response);
      return response;
    }
    location.assign(next);
    return new Promise<Response>(() => undefined);
  };
}
