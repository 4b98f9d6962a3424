/**
 * Reading and writing one cookie on Express requests and responses, for sessions kept in the
 * cookie: the request's value, the response's Set-Cookie headers for a name, and what an `end`
 * held back was called with.
 */
import type { Request, Response } from 'express';

/**
 * The named cookie's value in the request's `Cookie` header.
 *
 * @example
 * ```ts
 * cookieValue(req, 'iw.sid'); // undefined when the request has none
 * ```
 */
export function cookieValue(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** The headers an `end` is sent with, besides cookies. */
const CONTENT_HEADERS = ['content-type', 'content-length', 'location'] as const;

/**
 * The status and content headers when `end` was called.
 *
 * @example
 * ```ts
 * const sent = snapshot(res); // later: end(...restore(res, sent, args))
 * ```
 */
export function snapshot(res: Response): { status: number; headers: Array<[string, unknown]> } {
  return { status: res.statusCode, headers: CONTENT_HEADERS.map((name) => [name, res.getHeader(name)]) };
}

/** Puts back what `snapshot` saw (a later handler may have changed it); returns the `end` arguments. */
export function restore<T>(res: Response, sent: ReturnType<typeof snapshot>, args: T): T {
  res.statusCode = sent.status;
  for (const [name, value] of sent.headers) {
    if (value === undefined) res.removeHeader(name);
    else res.setHeader(name, value as string);
  }
  return args;
}

/**
 * Removes the response's Set-Cookie headers for `name`.
 *
 * @example
 * ```ts
 * withoutCookie(res, 'iw.sid'); // before writing a newer value
 * ```
 */
export function withoutCookie(res: Response, name: string): void {
  const set = res.getHeader('Set-Cookie');
  if (set === undefined) return;
  const kept = (Array.isArray(set) ? set : [String(set)]).filter((c) => !c.startsWith(`${name}=`));
  if (kept.length > 0) res.setHeader('Set-Cookie', kept);
  else res.removeHeader('Set-Cookie');
}

/** `true` when the response already clears the cookie (the sign-out handler does it itself). */
export function clearing(res: Response, name: string): boolean {
  const set = res.getHeader('Set-Cookie');
  const list = Array.isArray(set) ? set : set === undefined ? [] : [String(set)];
  return list.some((c) => c.startsWith(`${name}=;`));
}
