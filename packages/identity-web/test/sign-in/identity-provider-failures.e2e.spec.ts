import { ConsoleLogger } from '@nestjs/common';
import { DEFAULT_APPS, DEFAULT_USERS, startEmulator, type RunningEmulator } from 'entra-emulator';
import { answerEmulatorPages, newTestContext } from 'entra-emulator/testing';
import session from 'express-session';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { useEmulatorAndChromium } from './emulator-browser.suite';
import { signedInSessions } from './session-store';
import { startSignInTestApp, testOptions, type SignInTestApp } from './sign-in-test.app';

const alice = DEFAULT_USERS.alice;

/** What the app logged, by level. */
class RecordingLogger extends ConsoleLogger {
  readonly lines: { level: string; text: string }[] = [];
  override error(message: unknown, ...rest: unknown[]): void {
    this.lines.push({ level: 'error', text: [message, ...rest].map(String).join(' ') });
  }
  override warn(message: unknown, ...rest: unknown[]): void {
    this.lines.push({ level: 'warn', text: [message, ...rest].map(String).join(' ') });
  }
  override log(message: unknown, ...rest: unknown[]): void {
    this.lines.push({ level: 'log', text: [message, ...rest].map(String).join(' ') });
  }
}

/** The callback's answer when the browser signs in through the emulator. */
async function signInAnswer(
  context: BrowserContext,
  app: SignInTestApp,
): Promise<{ status?: number; retryAfter?: string | null; title: string; message: string; html: string }> {
  const page = await context.newPage();
  let answer: { status: number; retryAfter: string | null } | undefined;
  page.on('response', async (r) => {
    if (r.url().startsWith(`${app.baseUrl}/signin-oidc`)) {
      answer = { status: r.status(), retryAfter: await r.headerValue('retry-after') };
    }
  });
  await page.goto(`${app.baseUrl}/profile`);
  await answerEmulatorPages(page, alice);
  await page.waitForLoadState();
  const message = (await page.locator('#message').count()) > 0 ? await page.textContent('#message') : '';
  return { ...answer, title: await page.title(), message: message ?? '', html: await page.content() };
}

describe('identity provider failures during sign-in say what happened', () => {
  const env = useEmulatorAndChromium();
  let app: SignInTestApp | undefined;
  let context: BrowserContext | undefined;
  let logger: RecordingLogger;
  const store = new session.MemoryStore();

  beforeEach(async () => {
    logger = new RecordingLogger();
    // A new app per test: the signing keys are fetched once per app.
    app = await startSignInTestApp(testOptions(env.emulator, DEFAULT_APPS.webApp, store), logger);
    context = await newTestContext(env.browser);
  });

  afterEach(async () => {
    env.emulator.control.clearFaults();
    await context?.close();
    await app?.close();
  });

  it.each([503, 500, 429])(
    'a key set answering %i is an outage: 503 idp_unavailable with its Retry-After, logged as an error',
    async (status) => {
      env.emulator.control.injectFault({ endpoint: 'keys', status, retryAfterSeconds: 7, count: 10 });
      const result = await signInAnswer(context!, app!);
      expect(result).toMatchObject({ status: 503, retryAfter: '7' });
      expect(result.message).toMatch(/unavailable/i);
      expect(result.message).not.toMatch(/refused|malformed/i);
      expect(await signedInSessions(store)).toHaveLength(0);
      const errors = logger.lines.filter((l) => l.level === 'error');
      expect(errors.map((l) => l.text).join('\n')).toMatch(
        new RegExp(`idp_unavailable \\[correlation id [\\w-]+\\]: .*signing keys.*answered ${status}`),
      );
      expect(logger.lines.filter((l) => l.level === 'warn' && /sign_in_refused/.test(l.text))).toEqual([]);
    },
  );

  it('a token endpoint answering 503 during the code redemption passes its Retry-After on', async () => {
    env.emulator.control.injectFault({ endpoint: 'token', status: 503, retryAfterSeconds: 9, count: 1 });
    const result = await signInAnswer(context!, app!);
    expect(result).toMatchObject({ status: 503, retryAfter: '9' });
    expect(await signedInSessions(store)).toHaveLength(0);
  });
});

describe('error pages: visitors in production see a short message and a correlation id, the log has the details', () => {
  const env = useEmulatorAndChromium();
  const store = new session.MemoryStore();
  let app: SignInTestApp | undefined;
  let context: BrowserContext | undefined;
  let logger: RecordingLogger;

  /** The app with a wrong client secret (AADSTS7000215), its options read with this NODE_ENV. */
  async function startWithWrongSecret(nodeEnv: string): Promise<void> {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = nodeEnv;
    try {
      logger = new RecordingLogger();
      const wrong = { ...DEFAULT_APPS.webApp, clientSecret: 'not-the-secret' };
      app = await startSignInTestApp(testOptions(env.emulator, wrong, store), logger);
    } finally {
      process.env.NODE_ENV = before;
    }
    context = await newTestContext(env.browser);
  }

  afterEach(async () => {
    await context?.close();
    await app?.close();
  });

  it('NODE_ENV=production: no authority, tenant or AADSTS code on the page; the log has them under its id', async () => {
    await startWithWrongSecret('production');
    const result = await signInAnswer(context!, app!);
    expect(result.status).toBe(400);
    expect(result.message).toBe('Sign-in could not be completed. Please sign in again.');
    for (const secretish of ['AADSTS', env.emulator.baseUrl, env.emulator.tenantId, 'localhost:']) {
      expect(result.html).not.toContain(secretish);
    }
    const id = /id="correlation-id">([0-9a-f-]{36})</.exec(result.html)?.[1];
    expect(id).toBeDefined();
    const logged = logger.lines.find((l) => l.text.includes(id!));
    expect(logged?.text).toMatch(/sign_in_refused .*AADSTS7000215/);
    expect(result.html).not.toContain('Development mode');
  });

  it('outside production the page shows the details, says so, and has the same correlation id as the log', async () => {
    await startWithWrongSecret('development');
    const result = await signInAnswer(context!, app!);
    expect(result.status).toBe(400);
    expect(result.message).toMatch(/AADSTS7000215/);
    expect(result.html).toContain('Development mode');
    const id = /id="correlation-id">([0-9a-f-]{36})</.exec(result.html)?.[1];
    expect(logger.lines.some((l) => l.text.includes(id!))).toBe(true);
  });
});

describe('an identity provider whose TLS certificate this process does not trust', () => {
  const env = useEmulatorAndChromium();
  const store = new session.MemoryStore();
  let untrusted: RunningEmulator;
  let home: string;
  let app: SignInTestApp;
  let logger: RecordingLogger;

  beforeAll(async () => {
    // An emulator with a CA of its own: `entra-emulator exec` trusts only the usual one.
    home = mkdtempSync(join(tmpdir(), 'untrusted-emulator-'));
    untrusted = await startEmulator({ homeDir: home });
    logger = new RecordingLogger();
    app = await startSignInTestApp(testOptions(untrusted, DEFAULT_APPS.webApp, store), logger);
  });

  afterAll(async () => {
    await app?.close();
    await untrusted?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('says it cannot reach the sign-in service securely (no "try again"), and logs the fix once', async () => {
    const context = await newTestContext(env.browser);
    try {
      for (let visit = 0; visit < 2; visit++) {
        const page = await context.newPage();
        const res = await page.goto(`${app.baseUrl}/account/signin`);
        expect(res?.status()).toBe(503);
        const message = await page.textContent('#message');
        expect(message).toMatch(/cannot be reached securely/);
        expect(message).not.toMatch(/try again/i);
        await page.close();
      }
    } finally {
      await context.close();
    }
    const advice = logger.lines.filter((l) => /NODE_EXTRA_CA_CERTS/.test(l.text));
    expect(advice).toHaveLength(1);
    expect(advice[0]).toMatchObject({ level: 'error' });
    expect(advice[0].text).toMatch(/could not be verified \([A-Z_]+\).*entra-emulator exec/);
  });
});
