import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { HttpRequestLike } from './browser-request';

/**
 * Which proxies in front of the app are trusted to say how the browser reached it, in Express's
 * `trust proxy` terms: a hop count (`1`: the peer that connected is the proxy), or addresses and
 * subnets (`['loopback', '10.0.0.0/8']`; `loopback`, `linklocal`, `uniquelocal` are names for
 * their ranges). Never "everything".
 */
export type TrustedProxies = number | readonly string[];

/** The app's origin as the browser sees it, and whether a trusted proxy said so. */
export interface PublicOrigin {
  protocol: 'http' | 'https';
  /** Host and port, lower-cased (`app.example`, `localhost:8443`). */
  host: string;
  /** `true` when X-Forwarded-* or Forwarded from a trusted proxy decided it. */
  forwarded: boolean;
}

type Trust = (address: string, hop: number) => boolean;

/**
 * Compiles {@link TrustedProxies} into Express's `trust proxy` function (`app.set('trust proxy', …)`
 * accepts the same values): hop `i` of the chain (0 is the peer that connected) is trusted when
 * `i < count`, or when its address is in the list.
 *
 * @example
 * ```ts
 * const trust = compileTrustedProxies(['loopback']);
 * trust('127.0.0.1', 0); // true
 * ```
 */
export function compileTrustedProxies(proxies: TrustedProxies): Trust {
  if (typeof proxies === 'number') return (_address, hop) => hop < proxies;
  const compiled = proxyaddr.compile([...proxies]);
  return (address, hop) => compiled(address, hop);
}

function values(req: HttpRequestLike, name: string): string[] {
  const raw = req.headers[name];
  const text = Array.isArray(raw) ? raw.join(',') : raw;
  return text === undefined ? [] : text.split(',').map((v) => v.trim());
}

/** RFC 7239 `Forwarded` elements, each a map of lower-cased parameter names to unquoted values. */
function forwardedElements(req: HttpRequestLike): Record<string, string>[] {
  return values(req, 'forwarded').map((element) => {
    const pairs: Record<string, string> = {};
    for (const pair of element.split(';')) {
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const value = pair.slice(eq + 1).trim();
      pairs[pair.slice(0, eq).trim().toLowerCase()] = value.replace(/^"(.*)"$/, '$1');
    }
    return pairs;
  });
}

/** The entry a chain of `hops` trusted proxies vouches for: the leftmost one they appended. */
function vouched(list: readonly string[], hops: number): string | undefined {
  if (list.length === 0) return undefined;
  return list[Math.max(0, list.length - hops)] || undefined;
}

const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/**
 * The app's public origin for this request. With `trust`, when the peer that connected is a
 * trusted proxy, the `Forwarded` header (else `X-Forwarded-Proto` / `X-Forwarded-Host`) as
 * appended by the trusted hops decides it; otherwise — or when the headers are absent or
 * malformed — the request's own protocol (TLS, or Express's `req.protocol`) and `Host` header.
 *
 * @example
 * ```ts
 * publicOrigin(req, compileTrustedProxies(1)); // { protocol: 'https', host: 'app.example', forwarded: true }
 * ```
 */
export function publicOrigin(req: HttpRequestLike, trust?: Trust): PublicOrigin {
  const socket = (req as Partial<IncomingMessage>).socket as { encrypted?: boolean } | undefined;
  const ownProtocol: 'http' | 'https' =
    socket?.encrypted === true || req.protocol === 'https' ? 'https' : 'http';
  const own: PublicOrigin = {
    protocol: ownProtocol,
    host: (req.headers.host ?? 'localhost').toLowerCase(),
    forwarded: false,
  };
  if (!trust || !(req as Partial<IncomingMessage>).socket) return own;
  const peer = (req as IncomingMessage).socket.remoteAddress;
  if (peer === undefined || !trust(peer, 0)) return own;
  // proxy-addr walks the X-Forwarded-For chain from the peer while hops are trusted.
  const hops = Math.max(1, proxyaddr.all(req as IncomingMessage, trust).length - 1);
  const elements = forwardedElements(req);
  const fromForwarded = elements.length > 0;
  const element = fromForwarded ? elements[Math.max(0, elements.length - hops)] : undefined;
  const proto = (
    fromForwarded ? element?.proto : vouched(values(req, 'x-forwarded-proto'), hops)
  )?.toLowerCase();
  const host = (
    fromForwarded ? element?.host : vouched(values(req, 'x-forwarded-host'), hops)
  )?.toLowerCase();
  if (proto === undefined && host === undefined) return own;
  return {
    protocol: proto === 'https' || proto === 'http' ? proto : own.protocol,
    host: host !== undefined && HOST.test(host) ? host : own.host,
    forwarded: true,
  };
}

/**
 * `true` when `host` (a `Host` header value, port allowed) matches one of `allowed`: an exact
 * host name, `*.example.com` for its subdomains, or `*` for any. Ports are ignored.
 *
 * @example
 * ```ts
 * hostAllowed('app.example:8443', ['app.example']); // true
 * hostAllowed('evil.example', ['localhost']);       // false
 * ```
 */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/:\d+$/, '');
  return allowed.some((entry) => {
    const pattern = entry.toLowerCase();
    if (pattern === '*') return true;
    if (pattern.startsWith('*.')) return name.endsWith(pattern.slice(1)) && name.length > pattern.length - 1;
    return name === pattern;
  });
}
