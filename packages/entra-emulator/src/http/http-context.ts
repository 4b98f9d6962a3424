import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { EntraError } from '../errors/entra-error';

/**
 * The client went away before its request was read (connection closed mid-body): there is no one
 * to answer and nothing went wrong in the emulator.
 *
 * @example
 * ```ts
 * if (err instanceof RequestAbortedError || ctx.clientGone) return;
 * ```
 */
export class RequestAbortedError extends Error {
  override readonly name = 'RequestAbortedError';
  constructor() {
    super('the client closed the connection before sending the whole request');
  }
}

/** Largest request body the emulator reads (64 KiB), like a real IdP's limit on form posts. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * One request and its response, with the body readers and response writers the endpoints use.
 *
 * @example
 * ```ts
 * const params = await ctx.formParams();
 * ctx.sendJson(200, { ok: true });
 * ```
 */
export class HttpContext {
  readonly url: URL;
  readonly method: string;
  /** The caller's `client-request-id` (as MSAL sends it), else a new one: echoed as `correlation_id`. */
  readonly correlationId: string;
  /** This request's trace id: the `x-ms-request-id` header and the `trace_id` of an error body. */
  readonly traceId = randomUUID();
  private bodyPromise?: Promise<Buffer>;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    baseUrl: string,
  ) {
    this.url = new URL(req.url ?? '/', baseUrl);
    this.method = (req.method ?? 'GET').toUpperCase();
    const requestId = header(req, 'client-request-id');
    this.correlationId = requestId && /^[0-9a-fA-F-]{36}$/.test(requestId) ? requestId : randomUUID();
  }

  /** Whether the client has hung up (request aborted or socket destroyed): nothing can be sent. */
  get clientGone(): boolean {
    return (
      (this.req.destroyed && !this.req.complete) || this.res.destroyed || this.req.socket?.destroyed === true
    );
  }

  /** A request header (first value). */
  header(name: string): string | undefined {
    return header(this.req, name);
  }

  /** The raw body, at most {@link MAX_BODY_BYTES} (else 413). */
  body(): Promise<Buffer> {
    this.bodyPromise ??= new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      if (this.clientGone) {
        reject(new RequestAbortedError());
        return;
      }
      const declared = Number(this.req.headers['content-length'] ?? 0);
      if (declared > MAX_BODY_BYTES) {
        reject(tooLarge());
        return;
      }
      this.req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          reject(tooLarge());
          this.req.removeAllListeners('data');
          this.req.resume();
          return;
        }
        chunks.push(chunk);
      });
      this.req.on('end', () => resolve(Buffer.concat(chunks)));
      this.req.on('error', (err) => reject(this.clientGone ? new RequestAbortedError() : err));
      this.req.on('aborted', () => reject(new RequestAbortedError()));
      this.req.on('close', () => {
        if (!this.req.complete) reject(new RequestAbortedError());
      });
    });
    return this.bodyPromise;
  }

  /**
   * Form parameters: the query for GET, the `application/x-www-form-urlencoded` body for POST
   * (other content types read as empty, like Entra's token endpoint).
   */
  async formParams(): Promise<URLSearchParams> {
    if (this.method === 'GET' || this.method === 'HEAD') return this.url.searchParams;
    const body = await this.body();
    const type = (this.header('content-type') ?? '').toLowerCase();
    if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
    return new URLSearchParams(body.toString('utf8'));
  }

  /** The JSON body; a 400 error when it is not JSON. */
  async jsonBody(): Promise<unknown> {
    const text = (await this.body()).toString('utf8');
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new EntraError('invalid_request', 900144, 'The request body is not valid JSON.');
    }
  }

  /** Cookies sent with the request. */
  cookies(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const part of (this.header('cookie') ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0) result[part.slice(0, eq).trim()] = decodeURIComponentSafe(part.slice(eq + 1).trim());
    }
    return result;
  }

  /** Sends a JSON body. */
  sendJson(status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
    this.send(status, JSON.stringify(body), {
      'content-type': 'application/json; charset=utf-8',
      ...headers,
    });
  }

  /** Sends an HTML page. */
  sendHtml(status: number, html: string, headers: Record<string, string | string[]> = {}): void {
    this.send(status, html, {
      'content-type': 'text/html; charset=utf-8',
      'x-frame-options': 'DENY',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action *",
      ...headers,
    });
  }

  /** Sends a 302 redirect. */
  redirect(location: string, headers: Record<string, string | string[]> = {}): void {
    this.send(302, '', { location, ...headers });
  }

  /** Sends an error in Entra's JSON shape. */
  sendError(err: EntraError): void {
    this.sendJson(err.status, err.toBody(this.correlationId, this.traceId), {
      ...(err.details.headers ?? {}),
    });
  }

  /** Sends a response once; later calls are ignored. */
  send(status: number, body: string, headers: Record<string, string | string[]>): void {
    if (this.res.headersSent || this.res.writableEnded || this.clientGone) return;
    this.res.writeHead(status, {
      'cache-control': 'no-store, no-cache',
      pragma: 'no-cache',
      'x-ms-request-id': this.traceId,
      'client-request-id': this.correlationId,
      ...headers,
    });
    this.res.end(this.method === 'HEAD' ? undefined : body);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function tooLarge(): EntraError {
  return new EntraError('request_too_large', 90020, `The request body exceeds ${MAX_BODY_BYTES} bytes.`, {
    status: 413,
  });
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
