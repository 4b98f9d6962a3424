/**
 * A client credential is needed only to acquire tokens: an app that only signs users in needs
 * none (as in Microsoft.Identity.Web), one that calls downstream APIs or caches tokens at sign-in
 * does, and start-up says which setting needs it.
 */
import type { ResolvedIdentityWebOptions } from './module-options';
import type { OptionsReport } from './options-report';

const EXAMPLE = '[{ "SourceType": "ClientSecret", "ClientSecret": "..." }]';

/**
 * Reports `<azureAdSection>:ClientCredentials` as required when no credential is configured and a
 * setting needs tokens: a downstream API (`apiPaths` names each one's section) or `InitialScopes`.
 * Credentials listed but unusable were reported already, by the credentials section.
 */
export function requireCredentialWhenNeeded(
  options: Pick<ResolvedIdentityWebOptions, 'azureAd' | 'downstreamApis'>,
  apiPaths: Readonly<Record<string, string>>,
  azureAdSection: string,
  report: OptionsReport,
  /** A credential key the user wrote but left empty (`AzureAd:ClientSecret: ""`): named instead. */
  emptyKey?: string,
): void {
  if (options.azureAd.clientCredentials.length > 0) return;
  const credentialKeys = ['ClientCredentials', 'ClientCertificates', 'ClientSecret'].map((key) =>
    `${azureAdSection}:${key}`.toLowerCase(),
  );
  if (report.problems.some((p) => credentialKeys.some((key) => p.path.toLowerCase().startsWith(key)))) return;
  const needs: string[] = [];
  const apis = Object.keys(options.downstreamApis);
  if (apis.length > 0) {
    const more = apis.length > 1 ? ` (and ${apis.length - 1} more)` : '';
    needs.push(
      `${apiPaths[apis[0]!] ?? `DownstreamApis:${apis[0]}`}${more} calls an API with tokens the app acquires`,
    );
  }
  if (options.azureAd.initialScopes.length > 0) {
    needs.push(`${azureAdSection}:InitialScopes asks at sign-in for tokens the app uses later`);
  }
  if (needs.length === 0) return;
  if (emptyKey) {
    report.error(
      emptyKey,
      `is empty: ${needs.join(', and ')}, and acquiring tokens needs a client credential. Set it ` +
        `(for example through the environment variable ${emptyKey.replaceAll(':', '__')}) or give ${azureAdSection}:ClientCredentials.`,
    );
    return;
  }
  report.error(
    `${azureAdSection}:ClientCredentials`,
    `is required: ${needs.join(', and ')}, and acquiring tokens needs a client credential, e.g. ${EXAMPLE}. ` +
      'An app that only signs users in needs none.',
  );
}
