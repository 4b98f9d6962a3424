/**
 * The module's options as a whole: the sections of appsettings.json composed (`AzureAd`,
 * `DownstreamApis`, `IdentityWeb` or its keys at the top level), and the reading of a
 * configuration tree into the validated options.
 */
import { AZURE_AD_SECTION, type ResolvedMicrosoftIdentityOptions } from './azure-ad.section';
import { DOWNSTREAM_APIS, readDownstreamApis } from './downstream-apis.section';
import { IDENTITY_WEB, readIdentityWeb } from './identity-web.section';
import type { InputOf, ResolvedOf } from './option-types';
import type { OptionsReport } from './options-report';
import { SectionReader } from './section-reader';

/** The top-level keys of the module's options, besides `DOWNSTREAM_APIS` and `IDENTITY_WEB`. */
const MODULE_OPTIONS = {
  /** The app registration and how users sign in (`AzureAd`). */
  azureAd: AZURE_AD_SECTION.required(
    'the app registration section (Instance, TenantId, ClientId, ClientCredentials).',
  ),
};

/**
 * The module's options as a user writes them in code (camelCase). An appsettings-shaped object
 * (`IdentityWebAppSettings`) is accepted too.
 *
 * @example
 * ```ts
 * const options: IdentityWebModuleOptions = {
 *   azureAd: { tenantId, clientId, clientCredentials: [{ sourceType: 'ClientSecret', clientSecret }] },
 *   downstreamApis: { GraphAPI: { baseUrl: 'https://graph.microsoft.com/v1.0', scopes: ['user.read'] } },
 * };
 * IdentityWebModule.forRoot(options);
 * ```
 */
export interface IdentityWebModuleOptions
  extends InputOf<typeof MODULE_OPTIONS>, InputOf<typeof DOWNSTREAM_APIS>, InputOf<typeof IDENTITY_WEB> {}

/** The validated options: the members of `IdentityWebOptions`. */
export interface ResolvedIdentityWebOptions
  extends
    ResolvedOf<typeof MODULE_OPTIONS>,
    ResolvedOf<typeof DOWNSTREAM_APIS>,
    ResolvedOf<typeof IDENTITY_WEB> {}

/**
 * Checks a configuration tree (environment overrides already applied) and builds the validated
 * options. Never throws: every problem and warning lands in `report`.
 */
export function readIdentityWebOptions(
  tree: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  report: OptionsReport,
): ResolvedIdentityWebOptions {
  const root = new SectionReader(tree, '', report, env);
  return {
    azureAd: MODULE_OPTIONS.azureAd.read(root, 'azureAd') ?? ({} as ResolvedMicrosoftIdentityOptions),
    downstreamApis: readDownstreamApis(root),
    ...readIdentityWeb(root),
  };
}
