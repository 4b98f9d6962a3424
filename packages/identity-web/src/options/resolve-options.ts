import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { findKey, isPlainObject } from './configuration-tree';
import type { IdentityWebModuleInput } from './identity-web.app-settings';
import { IdentityWebConfiguration } from './identity-web.configuration';
import type { IdentityWebOptions } from './identity-web.options';
import { normalizeResolvedTree, type OptionsLogger } from './normalize-options';

/**
 * What the front doors built without Nest take: the module's input (camelCase options or an
 * appsettings-shaped object such as `loadAppSettings()` returns).
 */
export type IdentityWebSettings = IdentityWebModuleInput | Readonly<Record<string, unknown>>;

/** What {@link resolveOptions} reads besides the configuration. */
export interface ResolveOptionsSettings {
  /** Environment variables (`AzureAd__ClientId`...); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where option warnings go; Nest's `Logger` by default. */
  logger?: OptionsLogger;
  /**
   * The code reading these options serves no browser (a worker, a script): a missing session
   * secret is neither required nor warned about, since no session is ever created.
   */
  withoutSessions?: boolean;
}

/**
 * The configuration tree and the validated options from the same input `IdentityWebModule.forRoot`
 * takes (camelCase options, or an appsettings-shaped object such as `loadAppSettings()` returns),
 * environment overrides applied once: what the Express entry point and workers start from. A bad
 * or missing key throws `OptionsValidationError`, naming every key path at once.
 *
 * @example
 * ```ts
 * const { configuration, options } = resolveOptions(loadAppSettings());
 * configuration.getScopes('DownstreamApis:TodoList:Scopes');
 * ```
 */
export function resolveOptions(
  input: IdentityWebSettings,
  settings: ResolveOptionsSettings = {},
): { configuration: IdentityWebConfiguration; options: IdentityWebOptions } {
  const env = settings.env ?? process.env;
  const configuration = IdentityWebConfiguration.from(input, env);
  let tree = configuration.get<Record<string, unknown>>('') ?? {};
  let logger = settings.logger;
  if (settings.withoutSessions) {
    tree = withUnusedSessionSecret(tree, configuration);
    logger = withoutSessionWarnings(logger ?? new Logger('IdentityWeb'));
  }
  return { configuration, options: normalizeResolvedTree(tree, env, logger) };
}

/** Drops the warnings about session keys (`IdentityWeb:Session:Store`...): no session will exist. */
function withoutSessionWarnings(logger: OptionsLogger): OptionsLogger {
  return {
    warn: (message: unknown, ...rest: unknown[]) => {
      if (typeof message === 'string' && /^(IdentityWeb:)?Session:/i.test(message)) return;
      logger.warn(message, ...rest);
    },
  };
}

/** The tree with a random session secret when it has none: nothing will be signed with it. */
function withUnusedSessionSecret(
  tree: Readonly<Record<string, unknown>>,
  configuration: IdentityWebConfiguration,
): Readonly<Record<string, unknown>> {
  const given = configuration.get('Session:Secret') ?? configuration.get('IdentityWeb:Session:Secret');
  if (given !== undefined && given !== '') return tree;
  const key = findKey({ ...tree }, 'session') ?? 'session';
  const session = isPlainObject(tree[key]) ? tree[key] : {};
  return { ...tree, [key]: { ...session, secret: randomBytes(32).toString('base64url') } };
}
