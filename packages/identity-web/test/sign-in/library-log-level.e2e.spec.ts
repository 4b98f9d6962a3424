import { ConsoleLogger } from '@nestjs/common';
import { DEFAULT_APPS, DEFAULT_USERS } from 'entra-emulator';
import { newTestContext, signInWithPage } from 'entra-emulator/testing';
import session from 'express-session';
import { useEmulatorAndChromium } from './emulator-browser.suite';
import { startSignInTestApp, testOptions } from './sign-in-test.app';

/** Every line the app logged, with its level and context. */
class RecordingLogger extends ConsoleLogger {
  readonly lines: { level: string; context: string; text: string }[] = [];
  private record(level: string, message: unknown, rest: unknown[]): void {
    this.lines.push({ level, context: String(rest.at(-1) ?? ''), text: String(message) });
  }
  override error(message: unknown, ...rest: unknown[]): void {
    this.record('error', message, rest);
  }
  override warn(message: unknown, ...rest: unknown[]): void {
    this.record('warn', message, rest);
  }
  override log(message: unknown, ...rest: unknown[]): void {
    this.record('log', message, rest);
  }
  override verbose(message: unknown, ...rest: unknown[]): void {
    this.record('verbose', message, rest);
  }
  override debug(message: unknown, ...rest: unknown[]): void {
    this.record('debug', message, rest);
  }
}

describe('IdentityWeb:LogLevel: how much MSAL logs, never personal data or tokens', () => {
  const env = useEmulatorAndChromium();

  async function msalLinesOfASignIn(logLevel?: 'Verbose'): Promise<RecordingLogger['lines']> {
    const logger = new RecordingLogger();
    const options = testOptions(env.emulator, DEFAULT_APPS.webApp, new session.MemoryStore());
    const app = await startSignInTestApp(logLevel ? { ...options, logLevel } : options, logger);
    const context = await newTestContext(env.browser);
    try {
      const page = await context.newPage();
      await signInWithPage(page, app.baseUrl, DEFAULT_USERS.alice, { startAt: '/profile' });
      expect(await page.title()).toBe('Profile');
    } finally {
      await context.close();
      await app.close();
    }
    return logger.lines.filter((l) => l.context === 'IdentityWeb:MSAL');
  }

  it('is quiet by default (Error): a sign-in logs nothing from MSAL', async () => {
    expect(await msalLinesOfASignIn()).toEqual([]);
  });

  it('Verbose logs MSAL at verbose level, without tokens, codes or the user name', async () => {
    const lines = await msalLinesOfASignIn('Verbose');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((l) => l.level === 'verbose')).toBe(true);
    const all = lines.map((l) => l.text).join('\n');
    expect(all).not.toMatch(/eyJ[\w-]{10,}\./);
    expect(all).not.toContain(DEFAULT_USERS.alice.username);
  });
});
