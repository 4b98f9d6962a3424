import type { LoggerService } from '@nestjs/common';
import { DEFAULT_APPS, startEmulator, type RunningEmulator } from 'entra-emulator';
import { navigate } from 'entra-emulator/testing';
import session from 'express-session';
import type { IdentityWebModuleOptions } from 'nest-identity-web';
import { startSignInTestApp, testOptions, type SignInTestApp } from './sign-in-test.app';

/** Records what the app logs, by level. */
class RecordingLogger implements LoggerService {
  readonly lines: { level: string; message: string }[] = [];
  log(message: unknown) {
    this.lines.push({ level: 'log', message: String(message) });
  }
  warn(message: unknown) {
    this.lines.push({ level: 'warn', message: String(message) });
  }
  error(message: unknown) {
    this.lines.push({ level: 'error', message: String(message) });
  }
  errors(): string[] {
    return this.lines.filter((l) => l.level === 'error').map((l) => l.message);
  }
}

function setCookie(res: { headers: Record<string, string | string[] | undefined> }): string {
  const value = res.headers['set-cookie'];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).join('\n');
}

describe('behind a TLS-terminating reverse proxy (IdentityWeb:ForwardedHeaders)', () => {
  let emulator: RunningEmulator;
  const apps: SignInTestApp[] = [];
  const httpsProxy = {
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'app.example',
    'x-forwarded-for': '203.0.113.7',
  };

  async function start(
    identityWeb: Partial<IdentityWebModuleOptions>,
    logger: LoggerService | false = false,
  ): Promise<SignInTestApp> {
    const base = testOptions(emulator, DEFAULT_APPS.webApp, new session.MemoryStore());
    const app = await startSignInTestApp(
      {
        ...base,
        ...identityWeb,
        session: { ...base.session, ...identityWeb.session },
      } as IdentityWebModuleOptions,
      logger,
    );
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await emulator?.close();
  });

  describe('finding 1: the session cookie behind a proxy sending X-Forwarded-Proto: https', () => {
    it('is Secure, and the redirect URI is the public https origin, when the proxy is trusted', async () => {
      const app = await start({ forwardedHeaders: 'loopback', allowedHosts: ['app.example'] } as never);
      const res = await navigate(`${app.baseUrl}/account/signin`, { headers: httpsProxy });
      expect(res.status).toBe(302);
      expect(setCookie(res)).toMatch(/iw\.sid=.*; Secure/);
      expect(setCookie(res)).toMatch(/HttpOnly/);
      expect(setCookie(res)).toMatch(/SameSite=Lax/);
      expect(new URL(res.location!).searchParams.get('redirect_uri')).toBe('https://app.example/signin-oidc');
    });

    it('reads the standard Forwarded header too, and counts hops', async () => {
      const app = await start({ forwardedHeaders: 1, allowedHosts: ['app.example'] } as never);
      const res = await navigate(`${app.baseUrl}/account/signin`, {
        headers: { forwarded: 'for=203.0.113.7;proto=https;host="app.example"' },
      });
      expect(setCookie(res)).toMatch(/; Secure/);
      expect(new URL(res.location!).searchParams.get('redirect_uri')).toBe('https://app.example/signin-oidc');
    });

    it('ignores the headers when the proxy is not trusted (no setting, or another address)', async () => {
      for (const forwardedHeaders of [undefined, '10.0.0.0/8']) {
        const app = await start({ forwardedHeaders } as never);
        const res = await navigate(`${app.baseUrl}/account/signin`, {
          headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' },
        });
        expect(res.status).toBe(302);
        expect(setCookie(res)).not.toMatch(/Secure/);
        expect(new URL(res.location!).searchParams.get('redirect_uri')).toBe(`${app.baseUrl}/signin-oidc`);
      }
    });
  });

  describe('finding 2: IdentityWeb:Session:Secure true', () => {
    it('sends the Secure cookie behind a trusted https proxy, so sign-in can complete', async () => {
      const app = await start({
        forwardedHeaders: 1,
        allowedHosts: ['app.example'],
        session: { secure: true },
      } as never);
      const res = await navigate(`${app.baseUrl}/account/signin`, { headers: httpsProxy });
      expect(setCookie(res)).toMatch(/iw\.sid=.*; Secure/);
    });

    it('over http with no trusted proxy: logs one error naming IdentityWeb:ForwardedHeaders', async () => {
      const logger = new RecordingLogger();
      const app = await start({ session: { secure: true } } as never, logger);
      for (let i = 0; i < 3; i++) {
        const res = await navigate(`${app.baseUrl}/account/signin`, {
          headers: { 'x-forwarded-proto': 'https' },
        });
        expect(setCookie(res)).toBe(''); // express-session will not send a Secure cookie over http
      }
      const errors = logger.errors().filter((m) => m.includes('IdentityWeb:Session:Secure'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/IdentityWeb:ForwardedHeaders/);
      expect(errors[0]).toMatch(/X-Forwarded-Proto/);
    });
  });

  describe('finding 3: a spoofed Host header without AzureAd:RedirectUri', () => {
    it('is refused (400) and never becomes a redirect_uri or post_logout_redirect_uri', async () => {
      const logger = new RecordingLogger();
      const app = await start({}, logger);
      for (const path of ['/account/signin', '/account/signout', '/login']) {
        const res = await navigate(`${app.baseUrl}${path}`, { headers: { host: 'evil.example' } });
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expect(res.location ?? '').not.toContain('evil.example');
      }
      expect(logger.errors().filter((m) => m.includes('IdentityWeb:AllowedHosts'))).toHaveLength(1);
    });

    it('is refused through a trusted proxy too, unless listed in IdentityWeb:AllowedHosts', async () => {
      const app = await start({ forwardedHeaders: 'loopback' } as never);
      const spoofed = await navigate(`${app.baseUrl}/account/signin`, {
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' },
      });
      expect(spoofed.status).toBe(400);
      const listed = await start({ allowedHosts: 'app.example, *.contoso.example' } as never);
      for (const host of ['app.example', 'eu.contoso.example']) {
        const res = await navigate(`${listed.baseUrl}/account/signin`, { headers: { host } });
        expect(new URL(res.location!).searchParams.get('redirect_uri')).toBe(`http://${host}/signin-oidc`);
      }
    });
  });
});
