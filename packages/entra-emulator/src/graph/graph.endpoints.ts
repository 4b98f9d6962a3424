import type { User } from '../directory/directory.types';
import type { EmulatorRuntime } from '../emulator-runtime';
import type { HttpContext } from '../http/http-context';
import { authenticateGraphCaller, requirePermission, type GraphCaller } from './graph-auth';
import { GraphError } from './graph-error';
import { seededMessages } from './graph-mailbox';

const USER_READ = [
  'User.Read',
  'User.ReadWrite',
  'User.ReadBasic.All',
  'User.Read.All',
  'Directory.Read.All',
];
const MAX_TOP = 1000;

/**
 * Registers the Microsoft Graph stand-in under `/v1.0/`: `GET /me`, `GET /me/messages` (`$top`,
 * `$skip`, `$select`, `@odata.nextLink`), `POST /me/sendMail` (202; kept for the control API) and
 * `GET /users/{id | userPrincipalName}`.
 *
 * @example
 * ```ts
 * registerGraphEndpoints(runtime);
 * ```
 */
export function registerGraphEndpoints(runtime: EmulatorRuntime): void {
  const graph = new GraphStandIn(runtime);
  const add = (
    methods: string[],
    pattern: RegExp,
    handler: (ctx: HttpContext, id?: string) => Promise<void> | void,
  ) => runtime.router.add('graph', methods, pattern, (ctx, params) => handler(ctx, params.id));
  add(['GET'], /^\/v1\.0\/me\/?$/i, (ctx) => graph.me(ctx));
  add(['GET'], /^\/v1\.0\/me\/messages\/?$/i, (ctx) => graph.messages(ctx));
  add(['POST'], /^\/v1\.0\/me\/sendMail\/?$/i, (ctx) => graph.sendMail(ctx));
  add(['GET'], /^\/v1\.0\/users\/(?<id>[^/]+)\/?$/i, (ctx, id) => graph.userById(ctx, id ?? ''));
  add(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], /^\/v1\.0(\/.*)?$/i, (ctx) => {
    const segment = ctx.url.pathname.split('/').filter(Boolean).at(-1) ?? '';
    throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment.slice(0, 100)}'.`);
  });
}

class GraphStandIn {
  constructor(private readonly runtime: EmulatorRuntime) {}

  me(ctx: HttpContext): void {
    const caller = this.delegated(this.auth(ctx));
    requirePermission(caller, USER_READ, [], 'Authorization_RequestDenied');
    ctx.sendJson(200, {
      '@odata.context': `${this.runtime.baseUrl}/v1.0/$metadata#users/$entity`,
      ...select(ctx, userResource(caller.user)),
    });
  }

  userById(ctx: HttpContext, id: string): void {
    const caller = this.auth(ctx);
    requirePermission(
      caller,
      USER_READ,
      ['User.Read.All', 'Directory.Read.All'],
      'Authorization_RequestDenied',
    );
    const user = this.runtime.directory.findUser(decodeURIComponentSafe(id));
    if (!user)
      throw new GraphError(
        404,
        'Request_ResourceNotFound',
        `Resource '${id.slice(0, 100)}' does not exist or one of its queried reference-property objects are not present.`,
      );
    ctx.sendJson(200, {
      '@odata.context': `${this.runtime.baseUrl}/v1.0/$metadata#users/$entity`,
      ...select(ctx, userResource(user)),
    });
  }

  messages(ctx: HttpContext): void {
    const caller = this.delegated(this.auth(ctx));
    requirePermission(caller, ['Mail.Read', 'Mail.ReadWrite', 'Mail.ReadBasic'], [], 'ErrorAccessDenied');
    const query = ctx.url.searchParams;
    const top = intParam(query.get('$top'), 10, 1, MAX_TOP, '$top');
    const skip = intParam(query.get('$skip'), 0, 0, Number.MAX_SAFE_INTEGER, '$skip');
    const all = seededMessages(caller.user);
    const page = all.slice(skip, skip + top).map((m) => select(ctx, m as unknown as Record<string, unknown>));
    const body: Record<string, unknown> = {
      '@odata.context': `${this.runtime.baseUrl}/v1.0/$metadata#users('${caller.user.oid}')/messages`,
      value: page,
    };
    if (skip + top < all.length) {
      const next = new URL(`${this.runtime.baseUrl}/v1.0/me/messages`);
      next.searchParams.set('$top', String(top));
      next.searchParams.set('$skip', String(skip + top));
      const fields = query.get('$select');
      if (fields) next.searchParams.set('$select', fields);
      body['@odata.nextLink'] = next.toString();
    }
    ctx.sendJson(200, body);
  }

  async sendMail(ctx: HttpContext): Promise<void> {
    const caller = this.delegated(this.auth(ctx));
    requirePermission(caller, ['Mail.Send'], [], 'ErrorAccessDenied');
    let body: unknown;
    try {
      body = JSON.parse((await ctx.body()).toString('utf8')) as unknown;
    } catch {
      throw new GraphError(
        400,
        'BadRequest',
        'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
      );
    }
    const message = (body as { message?: unknown } | null)?.message;
    if (typeof message !== 'object' || message === null) {
      throw new GraphError(400, 'ErrorInvalidArgument', "The 'message' property is required.");
    }
    const recipients = (message as { toRecipients?: unknown }).toRecipients;
    const valid =
      Array.isArray(recipients) &&
      recipients.length > 0 &&
      recipients.every(
        (r: { emailAddress?: { address?: unknown } }) => typeof r?.emailAddress?.address === 'string',
      );
    if (!valid) throw new GraphError(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.');
    this.runtime.sentMail.push({
      from: caller.user.username,
      fromOid: caller.user.oid,
      sentAt: new Date().toISOString(),
      saveToSentItems: (body as { saveToSentItems?: unknown }).saveToSentItems !== false,
      message: message as Record<string, unknown>,
    });
    ctx.send(202, '', {});
  }

  private auth(ctx: HttpContext): GraphCaller {
    return authenticateGraphCaller(this.runtime, ctx);
  }

  private delegated(caller: GraphCaller): Extract<GraphCaller, { kind: 'user' }> {
    if (caller.kind !== 'user') {
      throw new GraphError(
        400,
        'BadRequest',
        '/me request is only valid with delegated authentication flow.',
      );
    }
    return caller;
  }
}

function userResource(user: User): Record<string, unknown> {
  return {
    id: user.oid,
    displayName: user.displayName,
    givenName: user.givenName ?? null,
    surname: user.surname ?? null,
    userPrincipalName: user.username,
    mail: user.username,
    jobTitle: user.jobTitle ?? null,
    businessPhones: [],
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
  };
}

function select(ctx: HttpContext, entity: Record<string, unknown>): Record<string, unknown> {
  const fields = ctx.url.searchParams.get('$select');
  if (!fields) return entity;
  const wanted = fields.split(',').map((f) => f.trim().toLowerCase());
  return Object.fromEntries(
    Object.entries(entity).filter(([key]) => key === 'id' || wanted.includes(key.toLowerCase())),
  );
}

function intParam(value: string | null, fallback: number, min: number, max: number, name: string): number {
  if (value === null) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new GraphError(
      400,
      'BadRequest',
      `Invalid value '${value.slice(0, 20)}' for query option '${name}'.`,
    );
  }
  return n;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
