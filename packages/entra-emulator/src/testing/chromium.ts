import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, BrowserContextOptions, LaunchOptions } from 'playwright-core';

/** Where Linux distributions and Chrome's packages install the browser. */
const CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/**
 * Flags for a headless Chromium in a container or CI job: no sandbox (often unavailable as root),
 * no GPU, and no background traffic to Google that an offline machine would wait for.
 *
 * @example
 * ```ts
 * await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
 * ```
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The machine's Chromium: `$CHROMIUM_PATH` when set, else the first of `/usr/bin/chromium`,
 * `chromium-browser`, `google-chrome`, `google-chrome-stable` that exists; undefined when none
 * does (Playwright then uses a browser it downloaded, if any).
 *
 * @example
 * ```ts
 * findChromium(); // '/usr/bin/chromium'
 * ```
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  return CHROMIUM_PATHS.find((path) => existsSync(path));
}

/**
 * Launches the machine's Chromium headless with {@link CHROMIUM_ARGS} through `playwright-core`
 * (an optional peer dependency, loaded only here). `options` are Playwright's launch options.
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * const page = await (await newTestContext(browser)).newPage();
 * ```
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const { chromium } = await loadPlaywright();
  const executablePath = options.executablePath ?? findChromium();
  try {
    return await chromium.launch({ headless: true, args: [...CHROMIUM_ARGS], executablePath, ...options });
  } catch (error) {
    throw new Error(
      `entra-emulator/testing: could not launch Chromium${executablePath ? ` at ${executablePath}` : ''}; install it (apt-get install chromium) or set CHROMIUM_PATH`,
      { cause: error },
    );
  }
}

/**
 * A fresh browser profile for one test: it accepts the emulator's certificate (Chromium ignores
 * `NODE_EXTRA_CA_CERTS`) and gives up on a step after `timeoutMs` (default 10 s) instead of hanging.
 *
 * @example
 * ```ts
 * const context = await newTestContext(browser);
 * const page = await context.newPage();
 * await context.close();
 * ```
 */
export async function newTestContext(
  browser: Browser,
  options: BrowserContextOptions & { timeoutMs?: number } = {},
): Promise<BrowserContext> {
  const { timeoutMs = 10_000, ...contextOptions } = options;
  const context = await browser.newContext({ ignoreHTTPSErrors: true, ...contextOptions });
  context.setDefaultTimeout(timeoutMs);
  return context;
}

async function loadPlaywright(): Promise<typeof import('playwright-core')> {
  try {
    return await import('playwright-core');
  } catch (error) {
    throw new Error(
      'entra-emulator/testing: the browser helpers need playwright-core (npm i -D playwright-core)',
      {
        cause: error,
      },
    );
  }
}
