import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Directory } from './directory/directory';
import type { Tenant } from './directory/directory.types';
import { GraphError } from './graph/graph-error';
import type { SentMail } from './graph/graph-mailbox';
import { EntraError } from './errors/entra-error';
import { HttpContext, RequestAbortedError } from './http/http-context';
import { Router, type EndpointName } from './http/router';
import { FaultInjector } from './state/fault-injector';
import { IssuedTokenStore } from './state/issued-token-store';
import { RequestCounters } from './state/request-counters';
import type { SigningKey } from './tokens/jwt';
import { TokenFactory } from './tokens/token-factory';

/** Everything the endpoints share: directory, keys, issued codes and tokens, counters, faults. */
export interface RuntimeSettings {
  directory: Directory;
  signingKey: SigningKey;
  accessTokenLifetimeSeconds: number;
  idTokenLifetimeSeconds: number;
  /** Discovery documents add `code_challenge_methods_supported` (Entra's do not). */
  advertisePkce?: boolean;
}

/** A tenant segment resolved: a real tenant, or `common`/`organizations`/`consumers`. */
export type TenantSelector = { kind: 'tenant'; tenant: Tenant } | { kind: 'multi'; name: string };

/**
 * The emulator's state and request dispatch, shared by every endpoint.
 *
 * @example
 * ```ts
 * const runtime = new EmulatorRuntime(settings);
 * https.createServer(tls, (req, res) => runtime.handle(req, res));
 * ```
 */
export class EmulatorRuntime {
  readonly router = new Router();
  readonly counters = new RequestCounters();
  readonly faults = new FaultInjector();
  readonly issuedTokens = new IssuedTokenStore();
  readonly tokens: TokenFactory;
  readonly directory: Directory;
  readonly signingKey: SigningKey;
  /** Discovery documents add `code_challenge_methods_supported`. */
  readonly advertisePkce: boolean;
  baseUrl = 'https://localhost';
  /** Mail sent through the Graph stand-in, oldest first. */
  readonly sentMail: SentMail[] = [];

  constructor(settings: RuntimeSettings) {
    this.directory = settings.directory;
    this.signingKey = settings.signingKey;
    this.advertisePkce = settings.advertisePkce ?? false;
    this.tokens = new TokenFactory(settings.signingKey, {
      baseUrl: () => this.baseUrl,
      accessTokenLifetimeSeconds: settings.accessTokenLifetimeSeconds,
      idTokenLifetimeSeconds: settings.idTokenLifetimeSeconds,
    });
  }

  /** Forgets everything issued or recorded since start and reloads the configured directory. */
  resetState(): void {
    this.directory.reset();
    this.issuedTokens.clear();
    this.faults.clear();
    this.counters.reset();
    this.sentMail.length = 0;
    for (const hook of this.resetHooks) hook();
  }

  /** Stores registered by endpoints that {@link resetState} must clear too. */
  readonly resetHooks: (() => void)[] = [];

  /** Resolves a tenant path segment; unknown tenants fail with AADSTS90002. */
  resolveTenant(segment: string): TenantSelector {
    const lower = segment.toLowerCase();
    if (lower === 'common' || lower === 'organizations' || lower === 'consumers')
      return { kind: 'multi', name: lower };
    const tenant = this.directory.tenant(lower);
    if (!tenant) {
      throw new EntraError(
        'invalid_request',
        90002,
        `Tenant '${segment.slice(0, 100)}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    return { kind: 'tenant', tenant };
  }

  /** Handles one HTTP request: routing, counters, injected faults, errors. Never throws. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let ctx: HttpContext;
    try {
      ctx = new HttpContext(req, res, this.baseUrl);
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(new EntraError('invalid_request', 90023, 'The request URL is malformed.').toBody()),
      );
      return;
    }
    try {
      const match = this.router.match(ctx.method, ctx.url.pathname);
      if (match.kind === 'not-found') {
        throw new EntraError('not_found', 90023, `No endpoint at ${ctx.url.pathname.slice(0, 200)}.`, {
          status: 404,
        });
      }
      if (match.kind === 'method-not-allowed') {
        throw new EntraError('method_not_allowed', 90023, `Method ${ctx.method} is not allowed here.`, {
          status: 405,
          headers: { allow: match.allowed.join(', ') },
        });
      }
      // The control API's own requests are not counted: tests read counters through it.
      if (match.name !== 'control') this.counters.endpoint(match.name);
      if (match.name === 'token') {
        const grantType = (await ctx.formParams()).get('grant_type');
        if (grantType) this.counters.grantType(grantType);
      }
      if (match.name !== 'control') await this.applyFault(match.name);
      await match.handler(ctx, match.params);
    } catch (err) {
      // A client that hung up mid-request is not an emulator failure, and cannot be answered.
      if (err instanceof RequestAbortedError || ctx.clientGone) return;
      if (err instanceof EntraError) {
        ctx.sendError(err);
      } else if (err instanceof GraphError) {
        ctx.sendJson(err.status, err.toBody(ctx.correlationId), err.headers);
      } else {
        console.error('entra-emulator: unexpected error', err);
        ctx.sendError(
          new EntraError('server_error', 90033, 'The emulator hit an unexpected error.', { status: 500 }),
        );
      }
    }
  }

  private async applyFault(endpoint: EndpointName): Promise<void> {
    const fault = this.faults.take(endpoint);
    if (!fault) return;
    if (fault.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    if (fault.status === undefined) return;
    if (endpoint === 'graph') {
      throw new GraphError(
        fault.status,
        fault.status === 429 ? 'TooManyRequests' : 'ServiceNotAvailable',
        `Injected fault: HTTP ${fault.status}.`,
        {
          ...(fault.retryAfterSeconds !== undefined
            ? { 'retry-after': String(fault.retryAfterSeconds) }
            : {}),
        },
      );
    }
    const headers =
      fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : undefined;
    const error = fault.status === 429 || fault.status === 503 ? 'temporarily_unavailable' : 'server_error';
    throw new EntraError(
      error,
      fault.status === 429 ? 50196 : 90033,
      `Injected fault: HTTP ${fault.status}.`,
      {
        status: fault.status,
        headers,
      },
    );
  }
}
