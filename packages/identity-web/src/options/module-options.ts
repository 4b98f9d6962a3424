/**
 * The module's options as a whole: the sections of appsettings.json composed (`AzureAd`,
 * `DownstreamApis`, `IdentityWeb` or its keys at the top level), and the reading of a
 * configuration tree into the validated options.
 */
import { AZURE_AD_SECTION, type ResolvedMicrosoftIdentityOptions } from './azure-ad.section';
import { requireCredentialWhenNeeded } from './credentials-needed';
import { DOWNSTREAM_APIS, readDownstreamApis } from './downstream-apis.section';
import { IDENTITY_WEB, identityWebSettings, readIdentityWeb } from './identity-web.section';
import { readFields } from './option-section';
import type { InputOf, ResolvedOf } from './option-types';
import type { OptionsReport } from './options-report';
import { SectionReader } from './section-reader';
import { SECTION_NAMES } from './section-names';
import { azureAdSectionHint, warnUnreadApiSections } from './unread-sections';

/** The top-level keys of the module's options, besides `DOWNSTREAM_APIS` and `IDENTITY_WEB`. */
const MODULE_OPTIONS = {
  /** The app registration and how users sign in (`AzureAd`, or the section `azureAdSection` names). */
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
  extends
    InputOf<typeof MODULE_OPTIONS>,
    InputOf<typeof DOWNSTREAM_APIS>,
    InputOf<typeof SECTION_NAMES>,
    InputOf<typeof IDENTITY_WEB> {}

/** The validated options: the members of `IdentityWebOptions`. */
export interface ResolvedIdentityWebOptions
  extends
    ResolvedOf<typeof MODULE_OPTIONS>,
    ResolvedOf<typeof DOWNSTREAM_APIS>,
    ResolvedOf<typeof SECTION_NAMES>,
    ResolvedOf<typeof IDENTITY_WEB> {}

/** The app registration, from `AzureAd` or the section `azureAdSection` names. */
function readAzureAd(
  root: SectionReader,
  azureAdSection: string,
): ResolvedMicrosoftIdentityOptions | undefined {
  if (azureAdSection.toLowerCase() === 'azuread') return MODULE_OPTIONS.azureAd.read(root, 'azureAd');
  if (root.has('AzureAd')) {
    root.report.warn(
      'AzureAd',
      `is not read: azureAdSection names ${azureAdSection} as the app registration section.`,
    );
  }
  const problemsBefore = root.report.problems.length;
  const section = root.sectionAt(azureAdSection);
  if (section) return AZURE_AD_SECTION.readSection(section);
  if (root.report.problems.length === problemsBefore) {
    root.report.error(
      azureAdSection,
      'is required: the app registration section that azureAdSection names (Instance, TenantId, ClientId...).',
    );
  }
  return undefined;
}

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
  const library = identityWebSettings(root);
  const names = readFields(SECTION_NAMES, library);
  const problemsBefore = report.problems.length;
  const azureAd = readAzureAd(root, names.azureAdSection);
  if (!azureAd) azureAdSectionHint(root, names.azureAdSection, problemsBefore);
  const downstream = readDownstreamApis(root, names.downstreamApiSections);
  warnUnreadApiSections(root, names);
  const resolved: ResolvedIdentityWebOptions = {
    azureAd: azureAd ?? ({} as ResolvedMicrosoftIdentityOptions),
    downstreamApis: downstream.apis,
    ...names,
    ...readIdentityWeb(library),
  };
  if (azureAd) {
    const secret = root.sectionAt(names.azureAdSection)?.raw('ClientSecret');
    const emptySecret = typeof secret === 'string' && secret.trim() === '';
    requireCredentialWhenNeeded(
      resolved,
      downstream.paths,
      names.azureAdSection,
      report,
      emptySecret ? `${names.azureAdSection}:ClientSecret` : undefined,
    );
  }
  return resolved;
}
