import { DEFAULT_APPS, type RunningEmulator } from 'entra-emulator';
import { newTestContext, useChromium, useEmulator } from 'entra-emulator/testing';
import session from 'express-session';
import type { IdentityWebModuleOptions } from 'nest-identity-web';
import type { Browser, BrowserContext } from 'playwright-core';
import { startSignInTestApp, testOptions, type SignInTestApp } from './sign-in-test.app';

/** The emulator and Chromium shared by every test of a `describe` block. */
export interface EmulatorAndChromium {
  readonly emulator: RunningEmulator;
  readonly browser: Browser;
}

/** {@link EmulatorAndChromium} plus one running test app, its session store and a browser context per test. */
export interface SignInBrowserSuite extends EmulatorAndChromium {
  readonly app: SignInTestApp;
  readonly store: session.MemoryStore;
  readonly context: BrowserContext;
}

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The ${what} is not running: use it inside a test or hook.`);
  return value;
}

/**
 * Registers the kit's hooks in the calling `describe` block: the emulator (with its control API,
 * not reset between tests) and Chromium, started once and closed after the block.
 *
 * @example
 * ```ts
 * const env = useEmulatorAndChromium();
 * it('...', async () => { const context = await newTestContext(env.browser); });
 * ```
 */
export function useEmulatorAndChromium(): EmulatorAndChromium {
  const emulator = useEmulator({ controlApi: true, resetBeforeEach: false });
  const browser = useChromium();
  return {
    get emulator() {
      return emulator();
    },
    get browser() {
      return browser();
    },
  };
}

/**
 * Registers the hooks of a sign-in browser suite in the calling `describe` block: the emulator,
 * Chromium and one test app for the emulator's default web app (`azureAd` extras merged in) with
 * an in-memory session store, all started once; before each test the store is emptied and a
 * fresh browser context opened, after it the context is closed; after the block the app, the
 * browser and the emulator are closed, in that order.
 *
 * @example
 * ```ts
 * const env = useSignInBrowserSuite({ initialScopes: PAGE_SCOPES });
 * it('...', async () => { const page = await env.context.newPage(); await page.goto(env.app.baseUrl); });
 * ```
 */
export function useSignInBrowserSuite(
  azureAd: Partial<IdentityWebModuleOptions['azureAd']> = {},
): SignInBrowserSuite {
  let app: SignInTestApp | undefined;
  let context: BrowserContext | undefined;
  const store = new session.MemoryStore();
  // Declared before the emulator's and Chromium's hooks: Jest runs `afterAll` hooks in order.
  afterAll(async () => {
    await app?.close();
  });
  const base = useEmulatorAndChromium();
  beforeAll(async () => {
    app = await startSignInTestApp(testOptions(base.emulator, DEFAULT_APPS.webApp, store, azureAd));
  });
  beforeEach(async () => {
    await new Promise<void>((resolve) => store.clear?.(() => resolve()));
    context = await newTestContext(base.browser);
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  return {
    get emulator() {
      return base.emulator;
    },
    get browser() {
      return base.browser;
    },
    get app() {
      return started(app, 'test app');
    },
    store,
    get context() {
      return started(context, 'browser context');
    },
  };
}
