import type { RunningEmulator } from '../index';
import { startTestEmulator, type TestEmulatorOptions } from './test-emulator';
import { HOOK_TIMEOUT_MS, lateValue, testHooks, type TestHooks } from './test-hooks';

/**
 * Options of {@link useEmulator}: {@link startTestEmulator}'s, and whether tests start from the seed.
 *
 * @example
 * ```ts
 * const options: UseEmulatorOptions = { resetBeforeEach: false, controlApi: true };
 * ```
 */
export interface UseEmulatorOptions extends TestEmulatorOptions {
  /** `emu.control.reset()` before each test: forgets consents, sessions, codes, tokens, faults, counters, mail (default true). */
  resetBeforeEach?: boolean;
}

/**
 * Jest (or Vitest) hooks for the enclosing `describe` or file: starts an emulator before all its
 * tests ({@link startTestEmulator}), resets it before each one unless `resetBeforeEach: false`,
 * and closes it after them. Returns a getter: the emulator exists once `beforeAll` has run.
 *
 * @example
 * ```ts
 * const emulator = useEmulator();
 * it('serves discovery', async () => {
 *   expect((await fetch(`${emulator().authority}/v2.0/.well-known/openid-configuration`)).ok).toBe(true);
 * });
 * ```
 */
export function useEmulator(
  options: UseEmulatorOptions = {},
  hooks: Partial<TestHooks> = {},
): () => RunningEmulator {
  const { resetBeforeEach = true, ...emulatorOptions } = options;
  const { beforeAll, afterAll, beforeEach } = testHooks(hooks);
  const emulator = lateValue<RunningEmulator>('The emulator');
  beforeAll(async () => emulator.set(await startTestEmulator(emulatorOptions)), HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await emulator.peek()?.close();
    emulator.set(undefined);
  });
  if (resetBeforeEach) beforeEach(() => emulator.get().control.reset());
  return emulator.get;
}
