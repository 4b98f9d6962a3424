/** What the command line asked for. */
export type CliCommand =
  | {
      kind: 'serve';
      port: number;
      host: string;
      config?: string;
      controlApi: boolean;
      allowRemoteControl: boolean;
      /** `--advertise-pkce`: discovery lists `code_challenge_methods_supported` (Entra's does not). */
      advertisePkce?: boolean;
      homeDir?: string;
      /** `--access-token-lifetime`, seconds; overrides the config file's key. */
      accessTokenLifetimeSeconds?: number;
      /** `--id-token-lifetime`, seconds; overrides the config file's key. */
      idTokenLifetimeSeconds?: number;
    }
  | { kind: 'exec'; command: string; args: string[]; homeDir?: string }
  | { kind: 'cert'; homeDir?: string }
  | { kind: 'help' };

/** The CLI's usage text. */
export const USAGE = `Usage:
  entra-emulator [--port 8443] [--host 127.0.0.1] [--config directory.json] [--control-api]
                 [--allow-remote-control] [--access-token-lifetime 3600] [--id-token-lifetime 3600]
                 [--advertise-pkce] [--home DIR]
      Serve a local Entra ID over HTTPS until Ctrl+C. The control API (--control-api) only listens
      on a loopback host unless --allow-remote-control is given. Lifetimes are in seconds (MSAL
      renews access tokens 300 s before they expire: keep them above that). --advertise-pkce adds
      code_challenge_methods_supported to discovery, which Entra leaves out.
  entra-emulator exec [--home DIR] -- <command> [args...]
      Make sure the emulator's CA exists, write <home>/ca-bundle.pem (current NODE_EXTRA_CA_CERTS + CA)
      and run <command> with NODE_EXTRA_CA_CERTS and ENTRA_EMULATOR_HOME set.
  entra-emulator cert [--home DIR]
      Print the path of the CA certificate (generating it on first use).`;

/**
 * A command line the CLI cannot parse; the CLI prints its message, then {@link USAGE} once.
 *
 * @example
 * ```ts
 * if (err instanceof CliUsageError) console.error(USAGE);
 * ```
 */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/**
 * Parses the CLI's arguments; throws a {@link CliUsageError} with a readable message on bad input.
 *
 * @example
 * ```ts
 * parseCliArguments(['--port', '9443', '--control-api']); // { kind: 'serve', port: 9443, ... }
 * ```
 */
export function parseCliArguments(argv: readonly string[]): CliCommand {
  const args = [...argv];
  const sub = args[0];
  if (sub === 'exec') {
    const dash = args.indexOf('--');
    const own = dash < 0 ? args.slice(1) : args.slice(1, dash);
    const rest = dash < 0 ? [] : args.slice(dash + 1);
    const { homeDir } = parseFlags(own, false);
    if (rest.length === 0)
      throw new CliUsageError('exec: expected a command after "--", e.g. entra-emulator exec -- npx jest');
    return { kind: 'exec', command: rest[0], args: rest.slice(1), homeDir };
  }
  if (sub === 'cert') return { kind: 'cert', homeDir: parseFlags(args.slice(1), false).homeDir };
  if (sub === 'help' || args.includes('--help') || args.includes('-h')) return { kind: 'help' };
  const flags = parseFlags(args, true);
  return {
    kind: 'serve',
    ...flags,
    port: flags.port ?? 8443,
    host: flags.host ?? '127.0.0.1',
  };
}

type ServeCommand = Extract<CliCommand, { kind: 'serve' }>;

/** The serve command's flags as given: port and host get their defaults afterwards. */
type Flags = Omit<ServeCommand, 'kind' | 'port' | 'host'> & Partial<Pick<ServeCommand, 'port' | 'host'>>;

function parseFlags(args: string[], serve: boolean): Flags {
  const flags: Flags = { controlApi: false, allowRemoteControl: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new CliUsageError(`${name}: expected a value`);
      return v;
    };
    if (name === '--home') flags.homeDir = value();
    else if (serve && name === '--port') flags.port = integer(name, value(), 0, 65535);
    else if (serve && name === '--host') flags.host = value();
    else if (serve && name === '--config') flags.config = value();
    else if (serve && name === '--control-api') flags.controlApi = true;
    else if (serve && name === '--allow-remote-control') flags.allowRemoteControl = true;
    else if (serve && name === '--advertise-pkce') flags.advertisePkce = true;
    else if (serve && name === '--access-token-lifetime')
      flags.accessTokenLifetimeSeconds = integer(name, value(), 1);
    else if (serve && name === '--id-token-lifetime')
      flags.idTokenLifetimeSeconds = integer(name, value(), 1);
    else throw new CliUsageError(`unknown argument '${arg}'`);
  }
  return flags;
}

function integer(name: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliUsageError(
      max === Number.MAX_SAFE_INTEGER
        ? `${name}: expected a positive integer (seconds), got '${text}'`
        : `${name}: expected an integer ${min}..${max}, got '${text}'`,
    );
  }
  return n;
}
