import { Readable } from 'node:stream';
import { InvalidCallError } from '../errors';
import type { DownstreamApiOptions } from '../options/downstream-apis.section';
import { isReservedHeader } from '../http/reserved-headers';
import type { DownstreamApiCallOptions, DownstreamApiOverrides } from './downstream-api.options';

/**
 * The options of one call: the named API's options with the per-call overrides applied. A
 * mutator function edits a deep copy; an object override builds a new object that shares the
 * configured values it does not change. Either way the shared configuration is never changed,
 * and the result is only read from here on.
 */
export function mergeCallOptions(
  configured: DownstreamApiOptions | undefined,
  overrides: DownstreamApiOverrides | undefined,
): DownstreamApiCallOptions {
  const base = configured ?? {};
  if (typeof overrides === 'function') {
    const copy = copyOptions(base);
    overrides(copy);
    return copy;
  }
  if (!overrides) return base;
  const merged: DownstreamApiCallOptions = { ...base };
  for (const key of Object.keys(overrides)) {
    const value = overrides[key as keyof DownstreamApiCallOptions];
    if (value === undefined) continue;
    if (key === 'headers' || key === 'queryParameters' || key === 'acquireTokenOptions') {
      (merged as Record<string, unknown>)[key] = { ...base[key], ...(value as object) };
    } else {
      (merged as Record<string, unknown>)[key] = value;
    }
  }
  return merged;
}

function copyOptions(options: DownstreamApiOptions): DownstreamApiCallOptions {
  // Headers, query and token options are always present, so a mutator can write
  // `o.headers['X-Id'] = ...` on an API that configures none.
  return {
    ...options,
    scopes: options.scopes ? [...options.scopes] : undefined,
    headers: { ...options.headers },
    queryParameters: { ...options.queryParameters },
    acquireTokenOptions: { ...options.acquireTokenOptions },
  };
}

/**
 * The URL to call: `baseUrl` joined with `relativePath`, then `queryParameters` encoded.
 * A `relativePath` that is itself absolute is refused: the token is meant for `baseUrl`'s host.
 */
export function buildRequestUrl(serviceName: string, options: DownstreamApiCallOptions): string {
  const { baseUrl, relativePath = '', queryParameters } = options;
  if (!baseUrl) {
    throw new InvalidCallError(
      `DownstreamApis:${serviceName}:BaseUrl is not set: configure it or pass baseUrl with the call.`,
    );
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(relativePath) || /^[/\\]{2}/.test(relativePath)) {
    throw new InvalidCallError(
      `The relative path for ${serviceName} must be relative to its BaseUrl; an absolute URL was given.`,
    );
  }
  const joined = relativePath ? `${trimEnd(baseUrl)}/${trimStart(relativePath)}` : baseUrl;
  const query =
    queryParameters && Object.keys(queryParameters).length > 0
      ? new URLSearchParams(queryParameters).toString()
      : '';
  if (!query) return joined;
  const hash = joined.indexOf('#');
  const [beforeHash, afterHash] = hash < 0 ? [joined, ''] : [joined.slice(0, hash), joined.slice(hash)];
  return `${beforeHash}${beforeHash.includes('?') ? '&' : '?'}${query}${afterHash}`;
}

function trimEnd(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 47 /* / */) end--;
  return value.slice(0, end);
}

function trimStart(value: string): string {
  let start = 0;
  while (start < value.length && value.charCodeAt(start) === 47 /* / */) start++;
  return value.slice(start);
}

/** Request headers from options: custom ones first, refused when reserved, then Accept. */
export function buildRequestHeaders(options: DownstreamApiCallOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (isReservedHeader(name)) {
      throw new InvalidCallError(
        `The header ${name} cannot be set through downstream API options: the library sets it or it is reserved.`,
      );
    }
    headers[name.toLowerCase()] = value;
  }
  headers.accept = options.acceptHeader ?? headers.accept ?? 'application/json';
  return headers;
}

/** The request body and its content type, from the call's input. */
export function serializeBody(
  input: unknown,
  options: DownstreamApiCallOptions,
): { body: string | Buffer | Readable | undefined; contentType: string | undefined } {
  if (input === undefined || input === null) return { body: undefined, contentType: undefined };
  if (options.serializer) {
    return { body: options.serializer(input), contentType: options.contentType ?? 'application/json' };
  }
  if (typeof input === 'string')
    return { body: input, contentType: options.contentType ?? 'text/plain; charset=utf-8' };
  if (Buffer.isBuffer(input) || input instanceof Uint8Array) {
    return { body: Buffer.from(input), contentType: options.contentType ?? 'application/octet-stream' };
  }
  if (input instanceof ArrayBuffer) {
    return { body: Buffer.from(input), contentType: options.contentType ?? 'application/octet-stream' };
  }
  if (input instanceof URLSearchParams) {
    return {
      body: input.toString(),
      contentType: options.contentType ?? 'application/x-www-form-urlencoded',
    };
  }
  if (input instanceof Readable)
    return { body: input, contentType: options.contentType ?? 'application/octet-stream' };
  return { body: JSON.stringify(input), contentType: options.contentType ?? 'application/json' };
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;
const TEXT_TYPE =
  /^(?:text\/|application\/(?:[\w.+-]+\+)?xml\b|application\/x-www-form-urlencoded\b|application\/javascript\b)/i;

/**
 * The response body as the caller gets it: parsed JSON for JSON content types (including
 * `+json`), a string for text, a Buffer for binary content, `undefined` when empty.
 */
export function parseBody(
  body: Buffer,
  contentType: string | undefined,
  options: DownstreamApiCallOptions,
): unknown {
  if (options.deserializer) return options.deserializer(body, contentType);
  if (body.length === 0) return undefined;
  if (!contentType || TEXT_TYPE.test(contentType)) return body.toString('utf8');
  if (JSON_TYPE.test(contentType)) {
    const text = body.toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return body;
}
