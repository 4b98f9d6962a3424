import {
  IdentityWebConfiguration,
  InvalidConfigurationError,
  type DownstreamApiOptions,
  type IdentityWebOptions,
} from 'nest-identity-web';
import type { IdentityWebGraphModuleOptions, IdentityWebGraphOptions } from './graph.options';

/** Default section of the Graph settings, as in Microsoft.Identity.Web. */
export const DEFAULT_GRAPH_SECTION = 'DownstreamApis:GraphAPI';
const DEFAULT_BASE_URL = 'https://graph.microsoft.com/v1.0';
const DEFAULT_SCOPES = ['User.Read'];
const DEFAULT_TIMEOUT_MS = 30_000;

/** Hosts of Microsoft Graph in the public and national clouds: the Graph client trusts them already. */
export const MICROSOFT_GRAPH_HOSTS: ReadonlySet<string> = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'graph.microsoft.de',
  'microsoftgraph.chinacloudapi.cn',
  'canary.graph.microsoft.com',
]);

/**
 * Merges explicit options over the configuration section over the defaults and validates the
 * result once, at start-up; a bad value fails with the key path that held it. A
 * `DownstreamApis:<name>` section is read from the validated `IdentityWebOptions.downstreamApis`
 * (so `RequestAppToken` and `Scopes` mean exactly what they mean to `DownstreamApiService`); any
 * other section is read from the configuration.
 *
 * @example
 * ```ts
 * const resolved = resolveGraphOptions({ scopes: 'User.Read Mail.Read' }, configuration, identityWebOptions);
 * resolved.customHosts; // empty for graph.microsoft.com; { 'localhost' } for https://localhost:8443/v1.0
 * ```
 */
export function resolveGraphOptions(
  options: IdentityWebGraphModuleOptions,
  configuration: IdentityWebConfiguration,
  identityWebOptions: Pick<IdentityWebOptions, 'downstreamApis'>,
): IdentityWebGraphOptions {
  const section = options.configurationSection ?? DEFAULT_GRAPH_SECTION;
  const key = (name: string) =>
    options[name as keyof IdentityWebGraphModuleOptions] !== undefined
      ? `IdentityWebGraphModule options.${name}`
      : `${section}:${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  const configured = readSection(section, configuration, identityWebOptions);

  const rawBaseUrl = options.baseUrl ?? configured.baseUrl ?? DEFAULT_BASE_URL;
  const { baseUrl, version, host } = splitBaseUrl(rawBaseUrl, key('baseUrl'));

  const scopes =
    options.scopes !== undefined
      ? scopesAt(key('scopes'), options.scopes)
      : (configured.scopes ?? DEFAULT_SCOPES);

  const requestAppToken = options.requestAppToken ?? configured.requestAppToken ?? false;
  if (typeof requestAppToken !== 'boolean') {
    throw new InvalidConfigurationError(key('requestAppToken'), 'must be true or false.');
  }

  const appScope =
    options.appScope ?? `https://${MICROSOFT_GRAPH_HOSTS.has(host) ? host : 'graph.microsoft.com'}/.default`;
  if (!/^\S+\/\.default$/.test(appScope)) {
    throw new InvalidConfigurationError(
      key('appScope'),
      `must be a resource's "/.default" scope; got "${appScope}".`,
    );
  }

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidConfigurationError(key('timeoutMs'), 'must be a positive whole number of milliseconds.');
  }

  return {
    baseUrl,
    version,
    scopes,
    requestAppToken,
    appScope,
    customHosts: new Set(MICROSOFT_GRAPH_HOSTS.has(host) ? [] : [host]),
    timeoutMs,
  };
}

/** `https://host[:port]/[prefix/]v1.0` → base `https://host[:port][/prefix]`, version `v1.0`, host name. */
function splitBaseUrl(value: unknown, keyPath: string): { baseUrl: string; version: string; host: string } {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new InvalidConfigurationError(keyPath, `must be an absolute URL such as ${DEFAULT_BASE_URL}.`);
  }
  if (typeof value !== 'string' || url.protocol !== 'https:') {
    throw new InvalidConfigurationError(
      keyPath,
      `must be an https URL: the Graph client sends the token to https hosts only; got "${String(value)}".`,
    );
  }
  if (url.search || url.hash) {
    throw new InvalidConfigurationError(keyPath, 'must not carry a query or a fragment.');
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const version = segments.pop() ?? '';
  if (!/^(v\d+(\.\d+)?|beta)$/i.test(version)) {
    throw new InvalidConfigurationError(
      keyPath,
      `must end with the API version (v1.0 or beta), as in ${DEFAULT_BASE_URL}; got "${value}".`,
    );
  }
  const prefix = segments.length > 0 ? `/${segments.join('/')}` : '';
  return { baseUrl: `${url.origin}${prefix}`, version, host: url.hostname.replace(/^\[|\]$/g, '') };
}

/** The Graph settings of a configuration section, where given. */
interface SectionSettings {
  baseUrl?: unknown;
  scopes?: string[];
  requestAppToken?: boolean;
}

/**
 * `DownstreamApis:<name>` (any casing, `:` or `__`) from the validated options, which already
 * refused bad values naming their key path; another section from the configuration tree.
 */
function readSection(
  section: string,
  configuration: IdentityWebConfiguration,
  identityWebOptions: Pick<IdentityWebOptions, 'downstreamApis'>,
): SectionSettings {
  const segments = section.split(/:|__/).filter((segment) => segment !== '');
  if (segments.length === 2 && segments[0].toLowerCase() === 'downstreamapis') {
    const api = downstreamApi(identityWebOptions.downstreamApis, segments[1]);
    if (!api) return {};
    return {
      baseUrl: api.baseUrl,
      scopes: api.scopes && scopesAt(`${section}:Scopes`, api.scopes),
      requestAppToken: api.requestAppToken,
    };
  }
  return {
    baseUrl: configuration.get<unknown>(`${section}:BaseUrl`),
    scopes: configuration.has(`${section}:Scopes`) ? configuration.getScopes(`${section}:Scopes`) : undefined,
    requestAppToken: booleanAt(
      `${section}:RequestAppToken`,
      configuration.get<unknown>(`${section}:RequestAppToken`),
    ),
  };
}

/** The entry of `downstreamApis` named `name` in any casing, as configuration keys are matched. */
function downstreamApi(
  apis: Readonly<Record<string, DownstreamApiOptions>>,
  name: string,
): DownstreamApiOptions | undefined {
  if (Object.hasOwn(apis, name)) return apis[name];
  const found = Object.keys(apis).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return found === undefined ? undefined : apis[found];
}

/**
 * Scopes under the rules of `IdentityWebConfiguration.getScopes` (an array or a space-separated
 * string, split, de-duplicated, never empty), its errors naming `keyPath`.
 */
function scopesAt(keyPath: string, value: unknown): string[] {
  // A one-value tree holding `value` at `keyPath`, so getScopes reads (and names) that path.
  const tree = keyPath
    .split(/:|__/)
    .reduceRight<unknown>((inner, segment) => ({ [segment]: inner }), value) as Record<string, unknown>;
  return new IdentityWebConfiguration(tree).getScopes(keyPath);
}

/** `true`/`false` in any casing (as environment variables give them), or absent. */
function booleanAt(keyPath: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null || typeof value === 'boolean') return value ?? undefined;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
    return value.trim().toLowerCase() === 'true';
  }
  throw new InvalidConfigurationError(keyPath, 'must be true or false.');
}
