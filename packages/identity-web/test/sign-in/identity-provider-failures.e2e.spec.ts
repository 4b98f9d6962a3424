import { ConsoleLogger } from '@nestjs/common';
import { DEFAULT_APPS, DEFAULT_USERS } from 'entra-emulator';
import { answerEmulatorPages, newTestContext } from 'entra-emulator/testing';
import session from 'express-session';
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
        new RegExp(`idp_unavailable: .*signing keys.*answered ${status}`),
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
