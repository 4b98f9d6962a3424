import { DEFAULT_APPS, type RunningEmulator } from '../index';

/**
 * The `AzureAd` section of an `appsettings.json`, in Microsoft.Identity.Web's PascalCase shape
 * (a type alias, not an interface, so it fits wherever a plain configuration object does).
 *
 * @example
 * ```ts
 * const azureAd: AzureAdSettings = azureAdSettings(emu);
 * ```
 */
export type AzureAdSettings = {
  readonly Instance: string;
  readonly TenantId: string;
  readonly ClientId: string;
  readonly ClientSecret?: string;
  readonly CallbackPath: string;
};

/**
 * The `AzureAd` settings that point an app at this emulator as one of its registered apps (the
 * default web app unless told otherwise): instance, tenant, client id and secret, `/signin-oidc`.
 *
 * @example
 * ```ts
 * IdentityWebModule.forRoot({ AzureAd: azureAdSettings(emu), IdentityWeb: { Session: { Secret } } });
 * ```
 */
export function azureAdSettings(
  emu: Pick<RunningEmulator, 'baseUrl' | 'tenantId'>,
  app: { clientId: string; clientSecret?: string; tenantId?: string } = DEFAULT_APPS.webApp,
): AzureAdSettings {
  return {
    Instance: `${emu.baseUrl}/`,
    TenantId: app.tenantId ?? emu.tenantId,
    ClientId: app.clientId,
    ...(app.clientSecret === undefined ? {} : { ClientSecret: app.clientSecret }),
    CallbackPath: '/signin-oidc',
  };
}
