/**
 * One challenge of a `WWW-Authenticate` header (RFC 7235 §2.1).
 *
 * @example
 * ```ts
 * const bearer = parseWwwAuthenticate(header).find((c: AuthenticationChallenge) => c.scheme === 'bearer');
 * bearer?.params.error; // 'insufficient_claims'
 * ```
 */
export interface AuthenticationChallenge {
  /** The auth-scheme, lower-cased (`bearer`, `basic`, `negotiate`...): schemes are case-insensitive. */
  scheme: string;
  /** auth-params by lower-cased name, quoted values unescaped. The first occurrence of a name wins. */
  params: Record<string, string>;
  /** The token68 form (`Negotiate YII...==`), when the challenge uses it instead of params. */
  token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;

/** A cursor over one header value; every step stops at the end, so nothing here throws. */
class Scanner {
  position = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.position >= this.text.length;
  }
  get current(): string {
    return this.text.charAt(this.position);
  }
  skipWhitespace(): void {
    while (this.current === ' ' || this.current === '\t') this.position += 1;
  }
  skipSeparators(): void {
    while (this.current === ' ' || this.current === '\t' || this.current === ',') this.position += 1;
  }
  read(pattern: RegExp): string {
    const start = this.position;
    while (!this.done && pattern.test(this.current)) this.position += 1;
    return this.text.slice(start, this.position);
  }
  /** Skips to the next comma: used to step over anything that does not parse. */
  skipItem(): void {
    while (!this.done && this.current !== ',') {
      if (this.current === '"') this.readQuoted();
      else this.position += 1;
    }
  }
  /** Reads a quoted-string starting at the opening quote; an unterminated one runs to the end. */
  readQuoted(): string {
    this.position += 1;
    let value = '';
    while (!this.done && this.current !== '"') {
      if (this.current === '\\' && this.position + 1 < this.text.length) this.position += 1;
      value += this.current;
      this.position += 1;
    }
    this.position += 1;
    return value;
  }
}

/** At the scanner's position: `token BWS "="` not followed by another `=` means an auth-param starts here. */
function startsParam(scanner: Scanner): boolean {
  const saved = scanner.position;
  const name = scanner.read(TCHAR);
  scanner.skipWhitespace();
  const result = name !== '' && scanner.current === '=' && scanner.text.charAt(scanner.position + 1) !== '=';
  scanner.position = saved;
  return result;
}

/** Tries token68 right after a scheme: it must be followed by the end or a comma. */
function tryToken68(scanner: Scanner): string | undefined {
  const saved = scanner.position;
  const body = scanner.read(TOKEN68_CHAR);
  const value = body + scanner.read(/=/);
  scanner.skipWhitespace();
  if (body !== '' && (scanner.done || scanner.current === ',')) return value;
  scanner.position = saved;
  return undefined;
}

function readParam(scanner: Scanner, challenge: AuthenticationChallenge): void {
  const name = scanner.read(TCHAR).toLowerCase();
  scanner.skipWhitespace();
  scanner.position += 1; // '='
  scanner.skipWhitespace();
  const value = scanner.current === '"' ? scanner.readQuoted() : scanner.read(/[^,\s]/);
  if (!(name in challenge.params)) challenge.params[name] = value;
  scanner.skipWhitespace();
  if (!scanner.done && scanner.current !== ',') scanner.skipItem();
}

function parseOne(text: string, challenges: AuthenticationChallenge[]): void {
  const scanner = new Scanner(text);
  let challenge: AuthenticationChallenge | undefined;
  for (;;) {
    scanner.skipSeparators();
    if (scanner.done) return;
    if (challenge && startsParam(scanner)) {
      readParam(scanner, challenge);
      continue;
    }
    const scheme = scanner.read(TCHAR);
    if (scheme === '' || (!scanner.done && !/[\s,]/.test(scanner.current))) {
      // Not a token followed by a space or a comma: garbage. Skip it and any params it carried.
      challenge = undefined;
      scanner.position += scheme === '' ? 1 : 0;
      scanner.skipItem();
      continue;
    }
    challenge = { scheme: scheme.toLowerCase(), params: Object.create(null) as Record<string, string> };
    challenges.push(challenge);
    scanner.skipWhitespace();
    if (scanner.done || scanner.current === ',') continue;
    const token68 = startsParam(scanner) ? undefined : tryToken68(scanner);
    if (token68 !== undefined) challenge.token68 = token68;
    else if (startsParam(scanner)) readParam(scanner, challenge);
    else scanner.skipItem();
  }
}

/**
 * Parses `WWW-Authenticate` values (RFC 7235) into their challenges. Several challenges in one
 * value, quoted strings holding commas, escaped quotes or `=` padding, token68, unknown schemes and
 * any casing are handled; malformed input never throws: what parsed is returned, the rest skipped.
 * Several header lines may be given as an array.
 *
 * @example
 * ```ts
 * parseWwwAuthenticate('Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ==", Basic realm="x"');
 * // [{ scheme: 'bearer', params: { realm: '', error: 'insufficient_claims', claims: 'eyJhY2Nlc3NfdG9rZW4iOnt9fQ==' } },
 * //  { scheme: 'basic', params: { realm: 'x' } }]
 * ```
 */
export function parseWwwAuthenticate(
  header: string | readonly string[] | null | undefined,
): AuthenticationChallenge[] {
  const challenges: AuthenticationChallenge[] = [];
  const values = Array.isArray(header) ? header : [header];
  for (const value of values) {
    if (typeof value === 'string') parseOne(value, challenges);
  }
  return challenges.map((c) => ({ ...c, params: { ...c.params } }));
}

/**
 * Anything response headers come as: a fetch/axios headers object, a plain record, or the header value itself.
 *
 * @example
 * ```ts
 * getClaimsChallenge(axiosResponse.headers); getClaimsChallenge(fetchResponse.headers); getClaimsChallenge('Bearer ...');
 * ```
 */
export type HeadersLike =
  | { get(name: string): unknown }
  | Readonly<Record<string, unknown>>
  | string
  | readonly string[]
  | null
  | undefined;

function wwwAuthenticateOf(headers: HeadersLike): string | string[] | undefined {
  if (headers === null || headers === undefined) return undefined;
  if (typeof headers === 'string') return headers;
  if (Array.isArray(headers)) return headers.filter((h): h is string => typeof h === 'string');
  const getter = (headers as { get?: unknown }).get;
  const value =
    typeof getter === 'function'
      ? (getter as (name: string) => unknown).call(headers, 'www-authenticate')
      : Object.entries(headers).find(([name]) => name.toLowerCase() === 'www-authenticate')?.[1];
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((h): h is string => typeof h === 'string');
  return undefined;
}

/**
 * The claims a resource demands through a claims challenge (continuous access evaluation,
 * conditional access): when a `Bearer` challenge has `error="insufficient_claims"` and a base64
 * or base64url `claims` value holding a JSON object, returns that JSON as a string, ready for
 * the token request's `claims`; otherwise `undefined`.
 *
 * @example
 * ```ts
 * const claims = getClaimsChallenge(response.headers);
 * if (response.status === 401 && claims) token = await tokens.getAccessTokenForUser(scopes, { claims });
 * ```
 */
export function getClaimsChallenge(headers: HeadersLike): string | undefined {
  for (const challenge of parseWwwAuthenticate(wwwAuthenticateOf(headers))) {
    if (challenge.scheme !== 'bearer' || challenge.params.error !== 'insufficient_claims') continue;
    const encoded = challenge.params.claims;
    if (!encoded || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) continue;
    const json = Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    try {
      const parsed: unknown = JSON.parse(json);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return json;
    } catch {
      // not JSON: not a claims challenge we can act on
    }
  }
  return undefined;
}
