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
/** The abort reason of our own deadline, told apart from the caller's. */
const TIMED_OUT = Symbol('timed out');

function abortOnTimeOut(deadline: AbortController): void {
  deadline.abort(TIMED_OUT);
}

/** The code a failed exchange is reported with: a time-out, the caller's abort, or the network's code. */
function networkCode(err: unknown, signal: AbortSignal): string | undefined {
  if (signal.aborted) return signal.reason === TIMED_OUT ? TIME_OUT_CODE : ABORTED_CODE;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return undefined;
  return TIME_OUTS.has(code) ? TIME_OUT_CODE : code;
}

/**
 * Sends with undici: one `Agent` keeps a pool of kept-alive connections per origin, closed when
 * the module shuts down. undici follows no redirect by itself.
 */
export class UndiciTransport implements DownstreamTransport {
  private readonly agent = new Agent({ keepAliveTimeout: 4_000 });

  async send(request: TransportRequest): Promise<TransportResponse> {
    // undici's own headersTimeout/bodyTimeout tick about once a second: a timer of ours keeps
    // TimeoutMs to the millisecond, and bounds the whole exchange, body included.
    const deadline = new AbortController();
    const timer = setTimeout(abortOnTimeOut, request.timeoutMs, deadline);
    const caller = request.signal;
    const onAbort = (): void => deadline.abort(caller?.reason);
    caller?.addEventListener('abort', onAbort, { once: true });
    try {
      const url = new URL(request.url);
      const { statusCode, headers, body } = await this.agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: request.body,
        signal: deadline.signal,
      });
      const flat = flattenHeaders(headers);
      return { status: statusCode, headers: flat, body: decode(Buffer.from(await body.arrayBuffer()), flat) };
    } catch (err) {
      // undici's errors hold no request headers, but only the method, URL and a code leave here.
      throw new DownstreamApiUnavailableError(request.method, request.url, networkCode(err, deadline.signal));
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
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
