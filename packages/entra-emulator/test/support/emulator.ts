import { DEFAULT_APPS, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/index';

/** Options of {@link useEmulator}: the emulator's own, and whether each test starts from the seed. */
export interface UseEmulatorOptions extends EmulatorOptions {
  /** Reset consents, sessions, issued tokens and policies before each test (default true). */
  resetBeforeEach?: boolean;
}

/**
 * Starts an emulator for the enclosing `describe` (before all its tests; closed after them) and,
 * unless `resetBeforeEach: false`, resets it to its seeded state before each test. Returns a getter:
 * the emulator exists only once the `beforeAll` it registers has run.
 *
 * @example
 * ```ts
 * const emu = useEmulator({ controlApi: true });
 * it('serves discovery', async () => expect((await fetch(emu().authority)).ok).toBe(true));
 * ```
 */
export function useEmulator(options: UseEmulatorOptions = {}): () => RunningEmulator {
  const { resetBeforeEach = true, ...emulatorOptions } = options;
  let emu: RunningEmulator | undefined;
  beforeAll(async () => {
    emu = await startEmulator(emulatorOptions);
  });
  afterAll(() => emu?.close());
  if (resetBeforeEach) beforeEach(() => running().control.reset());

  function running(): RunningEmulator {
    if (!emu) throw new Error('test: the emulator starts in beforeAll; use it inside a hook or a test');
    return emu;
  }
  return running;
}

/**
 * The form of a client-credentials token request from the default web app for the Todo API.
 *
 * @example
 * ```ts
 * await fetch(`${emu.authority}/oauth2/v2.0/token`, { method: 'POST', body: webAppClientCredentialsForm() });
 * ```
 */
export function webAppClientCredentialsForm(): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: DEFAULT_APPS.webApp.clientId,
    client_secret: DEFAULT_APPS.webApp.clientSecret,
    scope: 'api://todo-api/.default',
  });
}
