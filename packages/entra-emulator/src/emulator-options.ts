import type { EmulatorControl } from './control/emulator-control';
import type { Directory } from './directory/directory';
import type { DirectoryConfig } from './directory/directory.types';

/**
 * Options of {@link startEmulator}.
 *
 * @example
 * ```ts
 * const emu = await startEmulator({ port: 0, controlApi: true });
 * ```
 */
export interface EmulatorOptions {
  /** Port; 0 (default) picks a free one. The CLI defaults to 8443. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. URLs always say `localhost`. */
  host?: string;
  /** Users, apps, tenants, consents and policies that extend (or replace) the default directory. */
  directory?: DirectoryConfig;
  /** Serves the HTTP control API under `/_emulator/`; default false. */
  controlApi?: boolean;
  /**
   * Allows the control API on a non-loopback `host` (anyone who reaches the port can then reset
   * the emulator, add users and read sent mail); default false, and the emulator refuses to start
   * in that case. Prints a warning when used.
   */
  allowRemoteControl?: boolean;
  /** Where the CA, server certificate and signing key live; default `$ENTRA_EMULATOR_HOME` or `~/.entra-emulator`. */
  homeDir?: string;
  /** Access token lifetime; default 3600. */
  accessTokenLifetimeSeconds?: number;
  /** ID token lifetime; default 3600. */
  idTokenLifetimeSeconds?: number;
  /**
   * Adds `code_challenge_methods_supported: ["plain", "S256"]` to the discovery documents; default
   * false, as in Entra, whose documents leave it out although it accepts both methods. Only for a
   * client that insists on it: one that passes here only with it set fails against Entra.
   */
  advertisePkce?: boolean;
}

/**
 * A started emulator.
 *
 * @example
 * ```ts
 * const emu = await startEmulator();
 * new ConfidentialClientApplication({ auth: { clientId, clientSecret, authority: emu.authority, knownAuthorities: [emu.host] } });
 * await emu.close();
 * ```
 */
export interface RunningEmulator {
  /** `https://localhost:<port>`. */
  baseUrl: string;
  /** `localhost:<port>`, what MSAL's `knownAuthorities` needs. */
  host: string;
  port: number;
  /** The default tenant's id. */
  tenantId: string;
  /** `${baseUrl}/${tenantId}`. */
  authority: string;
  /** The CA certificate that signed the HTTPS certificate (PEM). */
  caCertificatePem: string;
  /** Path of that CA certificate (`<home>/ca.pem`). */
  caCertificatePath: string;
  /** Live view of tenants, users, apps, consents and policies. */
  directory: Directory;
  /** Test controls (faults, counters, consent, policies, revocation). */
  control: EmulatorControl;
  /** Stops the server and closes its connections. */
  close(): Promise<void>;
}
