import { InvalidConfigurationError, type IdentityWebConfiguration } from 'nest-identity-web';
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
 * result once, at start-up; a bad value fails with the key path that held it.
 *
 * @example
 * ```ts
 * const resolved = resolveGraphOptions({ scopes: 'User.Read Mail.Read' }, configuration);
 * resolved.customHosts; // empty for graph.microsoft.com; { 'localhost' } for https://localhost:8443/v1.0
 * ```
 */
export function resolveGraphOptions(
  options: IdentityWebGraphModuleOptions,
  configuration: IdentityWebConfiguration,
): IdentityWebGraphOptions {
  const section = options.configurationSection ?? DEFAULT_GRAPH_SECTION;
  const key = (name: string) =>
    options[name as keyof IdentityWebGraphModuleOptions] !== undefined
      ? `IdentityWebGraphModule options.${name}`
      : `${section}:${name.charAt(0).toUpperCase()}${name.slice(1)}`;

  const rawBaseUrl = options.baseUrl ?? configuration.get<unknown>(`${section}:BaseUrl`) ?? DEFAULT_BASE_URL;
  const { baseUrl, version, host } = splitBaseUrl(rawBaseUrl, key('baseUrl'));

  const scopes =
    options.scopes !== undefined
      ? toScopes(options.scopes, key('scopes'))
      : configuration.has(`${section}:Scopes`)
        ? configuration.getScopes(`${section}:Scopes`)
        : DEFAULT_SCOPES;

  const requestAppToken =
    options.requestAppToken ?? configuration.get<unknown>(`${section}:RequestAppToken`) ?? false;
  if (typeof requestAppToken !== 'boolean' && requestAppToken !== 'true' && requestAppToken !== 'false') {
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
    requestAppToken: requestAppToken === true || requestAppToken === 'true',
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

function toScopes(value: string[] | string, keyPath: string): string[] {
  const entries: unknown[] = Array.isArray(value) ? value : [value];
  if (!entries.every((entry) => typeof entry === 'string')) {
    throw new InvalidConfigurationError(keyPath, 'must be a string or an array of strings (scopes).');
  }
  const scopes = (entries as string[]).flatMap((entry) => entry.split(/\s+/)).filter(Boolean);
  if (scopes.length === 0)
    throw new InvalidConfigurationError(keyPath, 'is empty: expected at least one scope.');
  return [...new Set(scopes)];
}
