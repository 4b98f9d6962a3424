/**
 * The hooks of a test runner that the `use…` helpers register: Jest's and Vitest's globals by
 * default, or your own (node:test: `{ beforeAll: before, afterAll: after, beforeEach }`).
 *
 * @example
 * ```ts
 * import { after, before, beforeEach } from 'node:test';
 * const emu = useEmulator({}, { beforeAll: (fn) => before(fn), afterAll: (fn) => after(fn), beforeEach: (fn) => beforeEach(fn) });
 * ```
 */
export interface TestHooks {
  beforeAll(fn: () => unknown, timeoutMs?: number): void;
  afterAll(fn: () => unknown, timeoutMs?: number): void;
  beforeEach(fn: () => unknown, timeoutMs?: number): void;
  afterEach(fn: () => unknown, timeoutMs?: number): void;
}

/** Starting an emulator or Chromium can take longer than Jest's 5 s default for a hook. */
export const HOOK_TIMEOUT_MS = 60_000;

/**
 * The hooks to register with: those given, else the runner's globals, each looked up only when
 * used (so the kit can be imported where no runner is loaded, and node:test needs no `afterEach`
 * unless a helper registers one).
 *
 * @example
 * ```ts
 * testHooks().beforeAll(() => startTestEmulator(), HOOK_TIMEOUT_MS);
 * ```
 */
export function testHooks(given: Partial<TestHooks> = {}): TestHooks {
  const globals = globalThis as unknown as Partial<TestHooks>;
  const hook =
    (name: keyof TestHooks) =>
    (fn: () => unknown, timeoutMs?: number): void => {
      const register = given[name] ?? globals[name];
      if (typeof register !== 'function') {
        throw new Error(
          `entra-emulator/testing: no ${name} hook; call this inside a Jest or Vitest test file, or pass the hooks`,
        );
      }
      register(fn, timeoutMs);
    };
  return {
    beforeAll: hook('beforeAll'),
    afterAll: hook('afterAll'),
    beforeEach: hook('beforeEach'),
    afterEach: hook('afterEach'),
  };
}

/**
 * A slot for what a `beforeAll` hook creates: `get` throws a clear error when called too early
 * (at `describe` time) instead of returning undefined; `peek` does not (for `afterAll`).
 *
 * @example
 * ```ts
 * const browser = lateValue<Browser>('Chromium');
 * beforeAll(async () => browser.set(await launchChromium()));
 * afterAll(() => browser.peek()?.close());
 * ```
 */
export function lateValue<T>(what: string): {
  get(): T;
  peek(): T | undefined;
  set(value: T | undefined): void;
} {
  let value: T | undefined;
  return {
    get: () => {
      if (value === undefined) throw new Error(`${what} starts in beforeAll: use it inside a hook or a test`);
      return value;
    },
    peek: () => value,
    set: (next) => {
      value = next;
    },
  };
}
