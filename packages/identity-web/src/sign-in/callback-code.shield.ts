import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';
import { IdentityWebOptions } from '../options/identity-web.options';
import { AccountRoutesTable } from './account-routes.table';

/** Authorization codes lifted off callback URLs, by request. */
const LIFTED_CODES = new WeakMap<object, string>();

/**
 * The authorization `code` the {@link CallbackCodeShield} took off the callback URL of `req`, if any.
 *
 * @example
 * ```ts
 * const code = liftedCode(req) ?? req.query.code;
 * ```
 */
export function liftedCode(req: object): string | undefined {
  return LIFTED_CODES.get(req);
}

/**
 * Takes the authorization `code` off the callback URL (`GET {callbackPath}?code=`) before Express
 * routes the request, so what logs URLs (Express's router under `DEBUG=*`, access-log middleware)
 * never sees it; the sign-in strategy reads it back with {@link liftedCode}. It listens first on the
 * Node HTTP server Nest created (Express platform); an app mounted in a server of its own keeps the
 * code in the URL, and the callback still works.
 *
 * @example
 * ```ts
 * // Registered by IdentityWebModule; nothing to call.
 * ```
 */
@Injectable()
export class CallbackCodeShield implements OnApplicationBootstrap {
  private readonly table: AccountRoutesTable;

  constructor(
    options: IdentityWebOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.table = new AccountRoutesTable(options);
  }

  onApplicationBootstrap(): void {
    const adapter = this.adapterHost?.httpAdapter;
    if (!adapter || adapter.getType?.() !== 'express') return;
    const server = adapter.getHttpServer() as Server | undefined;
    if (typeof server?.prependListener !== 'function') return;
    server.prependListener('request', (req: IncomingMessage) => this.lift(req));
  }

  /** Moves `code` from the URL of a callback request to {@link liftedCode}. */
  protected lift(req: IncomingMessage): void {
    const url = req.url;
    if (!url || !url.includes('code=') || this.table.match(req.method ?? 'GET', url) !== 'callback') return;
    const query = url.indexOf('?');
    const params = new URLSearchParams(url.slice(query + 1));
    const code = params.get('code');
    if (code === null) return;
    params.delete('code');
    LIFTED_CODES.set(req, code);
    const rest = params.toString();
    req.url = url.slice(0, query) + (rest ? `?${rest}` : '');
  }
}
