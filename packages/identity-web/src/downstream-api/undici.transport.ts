import { Agent, type Dispatcher } from 'undici';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { DownstreamApiUnavailableError } from '../errors';
import {
  ABORTED_CODE,
  flattenHeaders,
  TIME_OUT_CODE,
  type DownstreamTransport,
  type TransportRequest,
  type TransportResponse,
} from './downstream-transport';

/** undici's time-out codes, reported as the one code the error filter answers 504 for. */
const TIME_OUTS: ReadonlySet<string> = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** `http(s)://host[:port]` and the rest, without parsing a URL the service built itself. */
const PLAIN_URL = /^(https?:\/\/[^/?#@\\]+)([^#]*)/i;

/**
 * Sends with undici: one `Agent` keeps a pool of kept-alive connections per origin, closed when
 * the module shuts down. It dispatches with a handler of its own rather than `request()`: no body
 * stream and no `AbortSignal` per call, which is most of what a loopback call costs the app. undici
 * follows no redirect by itself.
 */
export class UndiciTransport implements DownstreamTransport {
  private readonly agent = new Agent({ keepAliveTimeout: 4_000 });

  send(request: TransportRequest): Promise<TransportResponse> {
    return new Promise<TransportResponse>((resolve, reject) => {
      const exchange = new Exchange(request, resolve, reject);
      if (exchange.settled) return;
      const plain = PLAIN_URL.exec(request.url);
      let origin: string;
      let path: string;
      if (plain) {
        origin = plain[1];
        path = plain[2].charCodeAt(0) === 47 /* / */ ? plain[2] : `/${plain[2]}`;
      } else {
        const url = new URL(request.url);
        origin = url.origin;
        path = url.pathname + url.search;
      }
      this.agent.dispatch(
        {
          origin,
          path,
          method: request.method as Dispatcher.HttpMethod,
          headers: request.headers,
          body: request.body,
          // Our own timer bounds the exchange to the millisecond; undici's tick about once a second.
          headersTimeout: 0,
          bodyTimeout: 0,
        },
        exchange,
      );
    });
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** One exchange: collects the answer, and settles once, on the answer, an error, the time-out or the caller's abort. */
class Exchange implements Dispatcher.DispatchHandler {
  settled = false;
  private controller?: Dispatcher.DispatchController;
  private status = 0;
  private headers: Record<string, string> = {};
  private chunks: Buffer[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort?: () => void;

  constructor(
    private readonly request: TransportRequest,
    private readonly resolve: (response: TransportResponse) => void,
    private readonly reject: (err: Error) => void,
  ) {
    this.timer = setTimeout(giveUp, request.timeoutMs, this, TIME_OUT_CODE);
    const signal = request.signal;
    if (signal) {
      if (signal.aborted) {
        this.fail(ABORTED_CODE);
        return;
      }
      this.onAbort = () => this.fail(ABORTED_CODE);
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Timed out or aborted while waiting for a connection: drop it before it is sent.
    if (this.settled) controller.abort(new Error('abandoned'));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.status = statusCode;
    this.headers = flattenHeaders(headers);
    this.chunks = [];
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settle()) return;
    try {
      const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      this.resolve({ status: this.status, headers: this.headers, body: decode(body, this.headers) });
    } catch (err) {
      this.reject(this.unavailable((err as { code?: string }).code));
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    if (this.settle()) return;
    // undici's errors hold no request headers, but only the method, URL and a code leave here.
    const code = (err as { code?: unknown }).code;
    this.reject(
      this.unavailable(typeof code === 'string' ? (TIME_OUTS.has(code) ? TIME_OUT_CODE : code) : undefined),
    );
  }

  /** The time-out or the caller's abort: settles now, and stops the exchange if it has started. */
  fail(code: string): void {
    if (this.settle()) return;
    this.controller?.abort(new Error(code));
    this.reject(this.unavailable(code));
  }

  /** Marks the exchange settled; `true` when it already was. */
  private settle(): boolean {
    if (this.settled) return true;
    this.settled = true;
    clearTimeout(this.timer);
    if (this.onAbort) this.request.signal?.removeEventListener('abort', this.onAbort);
    return false;
  }

  private unavailable(code: string | undefined): DownstreamApiUnavailableError {
    return new DownstreamApiUnavailableError(this.request.method, this.request.url, code);
  }
}

function giveUp(exchange: Exchange, code: string): void {
  exchange.fail(code);
}

/** A compressed body decoded, as axios does (its `content-encoding` then dropped); others as they are. */
function decode(body: Buffer, headers: Record<string, string>): Buffer {
  const encoding = headers['content-encoding'];
  if (!encoding || body.length === 0) return body;
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? gunzipSync
      : encoding === 'deflate'
        ? inflateSync
        : encoding === 'br'
          ? brotliDecompressSync
          : undefined;
  if (!decoder) return body;
  delete headers['content-encoding'];
  delete headers['content-length'];
  return decoder(body);
}
