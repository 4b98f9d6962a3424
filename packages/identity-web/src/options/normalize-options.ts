import { Logger, type LoggerService } from '@nestjs/common';
import { freezeTree, isPlainObject } from './configuration-tree';
import { applyEnvironmentOverrides } from './environment-overrides';
import type { IdentityWebAppSettings } from './identity-web.app-settings';
import type { IdentityWebModuleOptions } from './module-options';
import type { IdentityWebOptions } from './identity-web.options';
import { readIdentityWebOptions } from './module-options';
import { OptionsReport } from './options-report';
import { OptionsValidationError } from '../errors';
import { hideOptionSecrets } from './redact-secrets';

/**
 * Where option warnings go; Nest's `Logger` by default.
 *
 * @example
 * ```ts
 * normalizeOptions(settings, process.env, { warn: (message) => myLogger.warn(message) });
 * ```
 */
export type OptionsLogger = Pick<LoggerService, 'warn'>;

/**
 * Turns module input (camelCase options or an appsettings-shaped object, keys in any casing)
 * into the validated, normalised {@link IdentityWebOptions}: environment variables such as
 * `AzureAd__ClientId` override first, defaults are filled in (`callbackPath` `/signin-oidc`,
 * `signedOutCallbackPath` `/signout-callback-oidc`, `instance` `https://login.microsoftonline.com/`,
 * `accountRoutesPrefix` `/account`, `requireSignIn` true), legacy keys are folded in
 * (`AzureAd:ClientSecret`, `ClientCertificates`, a top-level `DownstreamApi` section registered
 * as `DownstreamApi`), and `azureAd.authority` is derived. The result is deeply frozen (stores
 * excepted), and prints without its secrets: `console.log`, `util.inspect` and `JSON.stringify`
 * show `[redacted]` for client secrets, certificate passwords and values, and the session secret.
 *
 * All problems are reported at once in one {@link OptionsValidationError} (one line per key path);
 * insecure-but-legal choices and keys the library does not read (in `AzureAd`, `DownstreamApis`,
 * `IdentityWeb` and their subsections) are logged as warnings through `logger`, once per key.
 *
 * @example
 * ```ts
 * const options = normalizeOptions({
 *   AzureAd: { TenantId: 'contoso.onmicrosoft.com', ClientId: '11111111-2222-3333-4444-555555555555',
 *              ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: process.env.SECRET }] },
 *   DownstreamApis: { GraphAPI: { BaseUrl: 'https://graph.microsoft.com/v1.0', Scopes: 'user.read mail.read' } },
 * });
 * options.azureAd.authority;                 // 'https://login.microsoftonline.com/contoso.onmicrosoft.com'
 * options.downstreamApis.GraphAPI.scopes;    // ['user.read', 'mail.read']
 * ```
 */
export function normalizeOptions(
  input: IdentityWebModuleOptions | IdentityWebAppSettings | Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
  logger: OptionsLogger = new Logger('IdentityWeb'),
): IdentityWebOptions {
  if (!isPlainObject(input)) {
    throw new OptionsValidationError([
      {
        path: '(root)',
        message: 'must be an object: camelCase options or an appsettings-shaped { AzureAd, ... }.',
      },
    ]);
  }
  return normalizeResolvedTree(applyEnvironmentOverrides(input, env), env, logger);
}

/**
 * {@link normalizeOptions} for a configuration tree whose environment overrides are already
 * applied (the tree `IdentityWebConfiguration` holds): validates and normalises it without reading
 * `AzureAd__...` variables again. `env` still answers `NODE_ENV` and `AZURE_FEDERATED_TOKEN_FILE`.
 * The tree is only read, never modified.
 *
 * @example
 * ```ts
 * const configuration = IdentityWebConfiguration.from(appsettings); // environment applied here, once
 * const options = normalizeResolvedTree(configuration.get('') ?? {});
 * ```
 */
export function normalizeResolvedTree(
  tree: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
  logger: OptionsLogger = new Logger('IdentityWeb'),
): IdentityWebOptions {
  const report = new OptionsReport();
  const options = readIdentityWebOptions(tree, env, report);
  for (const warning of report.warnings) logger.warn(`${warning.path} ${warning.message}`);
  if (report.problems.length > 0) throw new OptionsValidationError(report.problems);
  return freezeTree(hideOptionSecrets(options)) as IdentityWebOptions;
}
