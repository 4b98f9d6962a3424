import type { Readable } from 'node:stream';

/** One HTTP exchange as the service asks a transport for it: nothing is followed, every status returned. */
export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | Buffer | Readable | undefined;
  /** Give up after this long without an answer (headers, then each pause in the body). */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The answer: status, headers lower-cased and flattened, the body read whole. */
export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The seam between `DownstreamApiService` and an HTTP client. An implementation never follows
 * redirects (the service does, deciding where the token may go) and throws only
 * `DownstreamApiUnavailableError`, built without the request so no header reaches a log.
 */
export interface DownstreamTransport {
  send(request: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}

/** Network codes of a time-out, as the error filter knows them (504). */
export const TIME_OUT_CODE = 'ETIMEDOUT';
/** Network code of a call the caller's `signal` aborted. */
export const ABORTED_CODE = 'ABORT_ERR';

/**
 * Response headers as the service hands them on: names lower-cased, repeated values joined with
 * `, ` except `Set-Cookie`, whose values may hold commas: one per line.
 */
export function flattenHeaders(
  headers: Record<string, string | string[] | number | boolean | null | undefined> | undefined,
): Record<string, string> {
  const flat: Record<string, string> = {};
  if (!headers) return flat;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined || value === null) continue;
    const lower = name.toLowerCase();
    flat[lower] = Array.isArray(value) ? value.join(lower === 'set-cookie' ? '\n' : ', ') : String(value);
  }
  return flat;
}
