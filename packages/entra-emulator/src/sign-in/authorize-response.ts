import type { EntraError } from '../errors/entra-error';
import type { HttpContext } from '../http/http-context';
import { formPostPage } from './sign-in.pages';

/** How the answer reaches the redirect URI: its query, its fragment, or an auto-submitted form. */
export type ResponseMode = 'query' | 'fragment' | 'form_post';

/** Where an authorization response goes: the client's redirect URI, in its response mode. */
export interface AuthorizeResponseTarget {
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
}

/**
 * What a step of the sign-in answers: a page of the emulator's own (sign-in, MFA, consent, error),
 * or the end of the flow sent to the client: a code, or an error. `cookie` is a `Set-Cookie` to send along.
 */
export type AuthorizeResponse =
  | { kind: 'page'; status: number; html: string; cookie?: string }
  | {
      kind: 'code';
      target: AuthorizeResponseTarget;
      fields: Record<string, string | undefined>;
      cookie?: string;
    }
  | { kind: 'error'; target: AuthorizeResponseTarget; error: EntraError; cookie?: string };

/**
 * Sends a sign-in step's answer: pages as HTML, the code or error to the redirect URI (a redirect
 * with query or fragment parameters, or an auto-submitting form for `form_post`).
 *
 * @example
 * ```ts
 * sendAuthorizeResponse(ctx, flow.login(await ctx.formParams()));
 * ```
 */
export function sendAuthorizeResponse(ctx: HttpContext, response: AuthorizeResponse): void {
  const headers: Record<string, string> = response.cookie ? { 'set-cookie': response.cookie } : {};
  switch (response.kind) {
    case 'page':
      ctx.sendHtml(response.status, response.html, headers);
      return;
    case 'code':
      sendToRedirectUri(ctx, response.target, response.fields, headers);
      return;
    case 'error':
      sendToRedirectUri(
        ctx,
        response.target,
        errorFields(ctx, response.error, response.target.state),
        headers,
      );
  }
}

function sendToRedirectUri(
  ctx: HttpContext,
  target: AuthorizeResponseTarget,
  fields: Record<string, string | undefined>,
  headers: Record<string, string>,
): void {
  if (target.responseMode === 'form_post') {
    ctx.sendHtml(200, formPostPage(target.redirectUri, fields), headers);
    return;
  }
  const url = new URL(target.redirectUri);
  const answer = target.responseMode === 'fragment' ? new URLSearchParams() : url.searchParams;
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) answer.set(name, value);
  if (target.responseMode === 'fragment') url.hash = answer.toString();
  ctx.redirect(url.toString(), headers);
}

/** An error as Entra sends it to the redirect URI, with the trace lines of its JSON errors. */
function errorFields(
  ctx: HttpContext,
  error: EntraError,
  state: string | undefined,
): Record<string, string | undefined> {
  return {
    error: error.error,
    error_description: error.describe(ctx.correlationId, ctx.traceId),
    error_codes: String(error.aadsts),
    error_uri: `https://login.microsoftonline.com/error?code=${error.aadsts}`,
    state,
  };
}
