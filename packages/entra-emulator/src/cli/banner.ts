import type { RunningEmulator } from '../emulator-options';

/**
 * The text the CLI prints on start: URLs, tenant, certificate, test users and apps.
 *
 * @example
 * ```ts
 * console.log(banner(emu, true));
 * ```
 */
export function banner(emu: RunningEmulator, controlApi: boolean): string {
  const lines = [
    `entra-emulator listening on ${emu.baseUrl}`,
    `  tenant      ${emu.tenantId} (${emu.directory.defaultTenant.domain})`,
    `  authority   ${emu.authority}`,
    `  discovery   ${emu.authority}/v2.0/.well-known/openid-configuration`,
    `  CA cert     ${emu.caCertificatePath}`,
    `              trust it: NODE_EXTRA_CA_CERTS takes ONE file; use 'entra-emulator exec -- <cmd>'`,
    `  control API ${controlApi ? `${emu.baseUrl}/_emulator/` : 'off (start with --control-api)'}`,
    '',
    'Users (username / password):',
    ...emu.directory.users.map(
      (u) =>
        `  ${u.username.padEnd(36)} ${u.password.padEnd(12)} ${u.displayName}${u.mfaEnrolled ? ' (MFA enrolled)' : ''}`,
    ),
    '',
    'Apps (client id / display name / secret):',
    ...emu.directory.apps
      .filter((a) => !a.wellKnown)
      .map(
        (a) =>
          `  ${a.clientId} ${a.displayName.padEnd(20)} ${a.clientSecrets[0] ?? (a.publicClient ? '(public client)' : '-')}${a.identifierUris.length ? `  ${a.identifierUris.join(' ')}` : ''}`,
      ),
  ];
  return lines.join('\n');
}
