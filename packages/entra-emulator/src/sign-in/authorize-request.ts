import type { App } from '../directory/directory.types';
import { parseScopes, type ScopeRequest } from '../directory/scope-request';
import type { EmulatorRuntime, TenantSelector } from '../emulator-runtime';
import { parseClaims } from '../sign-in/claims-request';
import { EntraError } from '../errors/entra-error';
import type { AuthorizeResponseTarget, ResponseMode } from './authorize-response';
import { redirectUriMatches } from './redirect-uri';

/** A validated authorization request. */
export interface AuthorizeRequest {
  tenantSegment: string;
  tenant: TenantSelector;
  flow?: string;
  client: App;
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
  nonce?: string;
  scope: string;
  scopes: ScopeRequest;
  codeChallenge?: string;
  /** `S256`, or `plain` (RFC 7636's default when a challenge comes without a method). */
  codeChallengeMethod?: 'plain' | 'S256';
  prompt?: 'login' | 'consent' | 'none' | 'select_account';
  loginHint?: string;
  domainHint?: string;
  claims?: Record<string, unknown>;
  clientInfo: boolean;
}

/** Why an authorization request cannot proceed, and where to say so. */
export class AuthorizeError extends Error {
  constructor(
    readonly error: EntraError,
    /** Where to send the error; absent when the client or redirect URI is not trustworthy (an error page then). */
    readonly target?: AuthorizeResponseTarget,
  ) {
    super(error.message);
  }
}

/**
 * Validates authorize parameters. Client and redirect-URI problems become an error page; once the
 * redirect URI is trusted, problems are reported to it (`error`, `error_description`, `state`).
 *
 * @example
 * ```ts
 * const request = parseAuthorizeRequest(runtime, params, 'common', undefined);
 * ```
 */
export function parseAuthorizeRequest(
  runtime: EmulatorRuntime,
  params: URLSearchParams,
  tenantSegment: string,
  flow: string | undefined,
): AuthorizeRequest {
  const fail = (error: EntraError): never => {
    throw new AuthorizeError(error);
  };
  let tenant: TenantSelector;
  try {
    tenant = runtime.resolveTenant(tenantSegment);
  } catch (err) {
    throw new AuthorizeError(err as EntraError);
  }
  // User-flow names are case-insensitive (MSAL lower-cases authorities): use the configured spelling.
  const configuredFlow =
    flow && tenant.kind === 'tenant'
      ? tenant.tenant.userFlows.find((f) => f.toLowerCase() === flow.toLowerCase())
      : undefined;
  if (flow && !configuredFlow) {
    fail(
      new EntraError(
        'invalid_request',
        90002,
        `The user flow '${flow.slice(0, 100)}' does not exist in this tenant.`,
      ),
    );
  }
  const clientId =
    params.get('client_id') ??
    fail(
      new EntraError(
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_id'.",
      ),
    );
  const client = runtime.directory.findApp(clientId);
  if (!client || client.wellKnown) {
    fail(
      new EntraError(
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId.slice(0, 100)}' was not found in the directory.`,
      ),
    );
  }
  const app = client as App;
  const redirectUri =
    params.get('redirect_uri') ??
    app.redirectUris[0] ??
    fail(
      new EntraError(
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'redirect_uri'.",
      ),
    );
  if (!app.redirectUris.some((registered) => redirectUriMatches(registered, redirectUri))) {
    fail(
      new EntraError(
        'invalid_request',
        50011,
        `The redirect URI '${redirectUri.slice(0, 300)}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`,
      ),
    );
  }
  const modeParam = params.get('response_mode') ?? 'query';
  const responseMode: ResponseMode =
    modeParam === 'form_post' || modeParam === 'fragment' ? modeParam : 'query';
  const state = params.get('state') ?? undefined;
  const target = { redirectUri, responseMode, state } as const;
  const refuse = (error: EntraError): never => {
    throw new AuthorizeError(error, target);
  };

  if (modeParam !== responseMode) {
    refuse(
      new EntraError(
        'invalid_request',
        90010,
        `response_mode '${modeParam.slice(0, 50)}' is not supported; use query, fragment or form_post.`,
      ),
    );
  }
  const responseType = params.get('response_type') ?? refuse(missing('response_type'));
  if (responseType !== 'code') {
    refuse(
      new EntraError(
        'unsupported_response_type',
        700054,
        `response_type '${responseType.slice(0, 50)}' is not enabled for the application; use 'code'.`,
      ),
    );
  }
  const scope = params.get('scope') ?? refuse(missing('scope'));
  let scopes: ScopeRequest;
  try {
    scopes = parseScopes(runtime.directory, scope);
  } catch (err) {
    return refuse(err as EntraError);
  }
  const codeChallenge = params.get('code_challenge') ?? undefined;
  const method = params.get('code_challenge_method') ?? (codeChallenge ? 'plain' : undefined);
  // Entra accepts both RFC 7636 methods, although its discovery documents name neither.
  if (method !== undefined && method !== 'S256' && method !== 'plain') {
    refuse(
      new EntraError(
        'invalid_request',
        501491,
        `code_challenge_method '${method.slice(0, 20)}' is not supported; use S256 or plain.`,
      ),
    );
  }
  if (codeChallenge !== undefined && !/^[A-Za-z0-9_-]{43,128}$/.test(codeChallenge)) {
    refuse(new EntraError('invalid_request', 501491, 'Invalid size of Code_Challenge parameter.'));
  }
  if (method !== undefined && codeChallenge === undefined) refuse(missing('code_challenge'));
  const prompt = params.get('prompt') ?? undefined;
  if (prompt !== undefined && !['login', 'consent', 'none', 'select_account'].includes(prompt)) {
    refuse(new EntraError('invalid_request', 90023, `Invalid prompt value '${prompt.slice(0, 50)}'.`));
  }
  let claims: Record<string, unknown> | undefined;
  if (params.has('claims')) {
    try {
      claims = parseClaims(params.get('claims') ?? '');
    } catch (err) {
      refuse(err as EntraError);
    }
  }
  return {
    tenantSegment,
    tenant,
    flow: configuredFlow,
    client: app,
    redirectUri,
    responseMode,
    state,
    nonce: params.get('nonce') ?? undefined,
    scope,
    scopes,
    codeChallenge,
    codeChallengeMethod: codeChallenge === undefined ? undefined : (method as 'plain' | 'S256'),
    prompt: prompt as AuthorizeRequest['prompt'],
    loginHint: params.get('login_hint') ?? undefined,
    domainHint: params.get('domain_hint') ?? undefined,
    claims,
    clientInfo: params.get('client_info') === '1',
  };
}

function missing(name: string): EntraError {
  return new EntraError(
    'invalid_request',
    900144,
    `The request body must contain the following parameter: '${name}'.`,
  );
}
