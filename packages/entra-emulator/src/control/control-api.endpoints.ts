import type { EmulatorRuntime } from '../emulator-runtime';
import { EntraError } from '../errors/entra-error';
import type { HttpContext } from '../http/http-context';
import type { EndpointName } from '../http/router';
import type { EmulatorControl } from './emulator-control';

const FAULT_ENDPOINTS: readonly EndpointName[] = [
  'discovery',
  'keys',
  'authorize',
  'token',
  'logout',
  'sign-in',
  'graph',
];

/**
 * Registers the HTTP control API under `/_emulator/` (only when the emulator is started with
 * `controlApi: true` / `--control-api`). A browser page on another site must not drive it, so a
 * request with an `Origin` other than the emulator's own is refused (403), and writes must declare
 * `content-type: application/json` even without a body (415): a cross-site form or `text/plain`
 * post cannot set that without a CORS preflight, which the emulator never answers.
 *
 * | Method | Path | Body |
 * |---|---|---|
 * | POST | /_emulator/reset | |
 * | GET | /_emulator/directory | |
 * | POST | /_emulator/users | UserConfig |
 * | POST | /_emulator/apps | AppConfig |
 * | POST | /_emulator/users/{user}/revoke | |
 * | POST | /_emulator/conditional-access | { resource, requireMfa } |
 * | POST / DELETE | /_emulator/consents | { user, clientId, scopes } |
 * | POST / DELETE | /_emulator/faults | FaultSpec |
 * | POST | /_emulator/grants/age | { seconds, user? } |
 * | GET / DELETE | /_emulator/counters | |
 * | GET | /_emulator/mail?user= | |
 *
 * @example
 * ```ts
 * if (options.controlApi) registerControlApi(runtime, control);
 * ```
 */
export function registerControlApi(runtime: EmulatorRuntime, control: EmulatorControl): void {
  const route = (
    method: string,
    path: string,
    handler: (ctx: HttpContext, body: Record<string, unknown>, param?: string) => unknown,
  ) => {
    const pattern = new RegExp(`^/_emulator/${path}$`);
    runtime.router.add('control', [method], pattern, async (ctx, params) => {
      refuseForeignOrigin(runtime, ctx);
      if (method !== 'GET') requireJsonContentType(ctx);
      const body = method === 'GET' ? {} : await objectBody(ctx);
      let result: unknown;
      try {
        result = await handler(ctx, body, params.param ? decodeURIComponent(params.param) : undefined);
      } catch (err) {
        if (err instanceof EntraError || !(err instanceof Error)) throw err;
        throw new EntraError('invalid_request', 90023, err.message);
      }
      if (result === undefined) ctx.send(204, '', {});
      else ctx.sendJson(method === 'POST' && /^(users|apps)$/.test(path) ? 201 : 200, result);
    });
  };

  route('POST', 'reset', () => control.reset());
  route('GET', 'directory', () => ({
    tenants: runtime.directory.tenants,
    users: runtime.directory.users,
    apps: runtime.directory.apps,
    conditionalAccess: runtime.directory.conditionalAccess,
  }));
  route('POST', 'users', (_ctx, body) => control.addUser(body as never));
  route('POST', 'apps', (_ctx, body) => control.addApp(body as never));
  route('POST', 'users/(?<param>[^/]+)/revoke', (_ctx, _body, user) => control.revokeUser(user ?? ''));
  route('POST', 'conditional-access', (_ctx, body) =>
    control.setConditionalAccess({ resource: str(body, 'resource'), requireMfa: bool(body, 'requireMfa') }),
  );
  route('POST', 'consents', (_ctx, body) =>
    control.grantConsent(str(body, 'user'), str(body, 'clientId'), strings(body, 'scopes')),
  );
  route('DELETE', 'consents', (_ctx, body) =>
    control.revokeConsent(
      str(body, 'user'),
      str(body, 'clientId'),
      body.scopes === undefined ? undefined : strings(body, 'scopes'),
    ),
  );
  route('POST', 'faults', (_ctx, body) => {
    const endpoint = str(body, 'endpoint') as EndpointName;
    if (!FAULT_ENDPOINTS.includes(endpoint))
      throw new Error(`endpoint: expected one of ${FAULT_ENDPOINTS.join(', ')}`);
    control.injectFault({
      endpoint,
      status: optionalNumber(body, 'status'),
      retryAfterSeconds: optionalNumber(body, 'retryAfterSeconds'),
      latencyMs: optionalNumber(body, 'latencyMs'),
      count: optionalNumber(body, 'count'),
    });
  });
  route('DELETE', 'faults', () => control.clearFaults());
  route('POST', 'grants/age', (_ctx, body) =>
    control.ageGrants(
      optionalNumber(body, 'seconds') ?? NaN,
      body.user === undefined ? undefined : str(body, 'user'),
    ),
  );
  route('GET', 'counters', () => control.counters());
  route('DELETE', 'counters', () => control.resetCounters());
  route('GET', 'mail', (ctx) => control.sentMail(ctx.url.searchParams.get('user') ?? undefined));
}

function refuseForeignOrigin(runtime: EmulatorRuntime, ctx: HttpContext): void {
  const origin = ctx.header('origin');
  if (origin === undefined) return;
  const own = new URL(runtime.baseUrl);
  let parsed: URL | undefined;
  try {
    parsed = new URL(origin);
  } catch {
    parsed = undefined;
  }
  const same =
    parsed !== undefined &&
    parsed.origin === origin.replace(/\/$/, '') &&
    parsed.protocol === own.protocol &&
    parsed.port === own.port &&
    LOOPBACK_NAMES.includes(parsed.hostname);
  if (!same) {
    throw new EntraError(
      'access_denied',
      50105,
      `The control API answers only its own origin (${runtime.baseUrl}), not '${origin.slice(0, 100)}'.`,
      { status: 403 },
    );
  }
}

const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

function requireJsonContentType(ctx: HttpContext): void {
  const type = (ctx.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw new EntraError(
      'invalid_request',
      900144,
      "Control API writes need 'content-type: application/json', even without a body.",
      { status: 415 },
    );
  }
}

async function objectBody(ctx: HttpContext): Promise<Record<string, unknown>> {
  const body = await ctx.jsonBody();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EntraError('invalid_request', 90023, 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function str(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value === '') throw new Error(`${key}: expected a non-empty string`);
  return value;
}

function bool(body: Record<string, unknown>, key: string): boolean {
  if (typeof body[key] !== 'boolean') throw new Error(`${key}: expected true or false`);
  return body[key];
}

function strings(body: Record<string, unknown>, key: string): string[] {
  const value = body[key];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw new Error(`${key}: expected an array of strings`);
  return value as string[];
}

function optionalNumber(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${key}: expected a number`);
  return value;
}
