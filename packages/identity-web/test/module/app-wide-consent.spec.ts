import { Body, Controller, Get, type INestApplication, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { navigate as navigateTo } from 'entra-emulator/testing';
import { AuthorizeForScopes } from '../../src/consent/authorize-for-scopes.decorator';
import { ChallengeUserException } from '../../src/errors/challenge-user.exception';
import { IdentityWebModule } from '../../src/identity-web.module';
import { AllowAnonymous } from '../../src/sign-in/allow-anonymous.decorator';

@Controller()
@AllowAnonymous()
class PagesController {
  @Get('plain')
  plain(): never {
    throw new Error('Graph call failed', {
      cause: new ChallengeUserException(['Mail.Read'], 'consent required'),
    });
  }

  @Get('decorated')
  @AuthorizeForScopes({ scopes: ['Files.Read'] })
  decorated(): never {
    throw new ChallengeUserException(['Files.Read'], 'consent required');
  }

  @Post('form')
  form(@Body() _body: unknown): never {
    throw new ChallengeUserException(['Mail.Send'], 'consent required');
  }
}

function settings(consent: Record<string, unknown>) {
  return {
    AzureAd: {
      Instance: 'https://login.example.test/',
      TenantId: '7c3b6d2e-5a41-4f0e-9b8d-2c1f0a6e4d53',
      ClientId: '3f9a2b1c-6d4e-4f8a-9b0c-1d2e3f4a5b6c',
      ClientCredentials: [{ SourceType: 'ClientSecret', ClientSecret: 'secret' }],
    },
    DownstreamApis: { GraphAPI: { BaseUrl: 'https://graph.microsoft.com/v1.0', Scopes: ['User.Read'] } },
    IdentityWeb: { Session: { Secret: 'a-long-enough-session-secret-for-the-tests-000' }, Consent: consent },
  };
}

async function start(consent: Record<string, unknown>): Promise<{ app: INestApplication; base: string }> {
  const moduleRef = await Test.createTestingModule({
    imports: [IdentityWebModule.forRoot(settings(consent))],
    controllers: [PagesController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, base: await app.getUrl() };
}

/** A browser navigation to a page of the app (a form POST sends an empty JSON body). */
function navigate(base: string, path: string, method = 'GET') {
  const body = method === 'POST' ? '{}' : undefined;
  return navigateTo(`${base}${path}`, { method, body, headers: { 'content-type': 'application/json' } });
}

const params = (location: string | undefined) => new URL(location ?? '/', 'http://x').searchParams;

describe('IdentityWeb:Consent', () => {
  it('handles challenges on every route by default, with the app-wide scopes from a key section', async () => {
    const { app, base } = await start({
      ScopeKeySection: 'DownstreamApis:GraphAPI:Scopes',
      FormPostFallbackUrl: '/compose',
    });
    try {
      const plain = await navigate(base, '/plain?x=1');
      expect(plain.status).toBe(302);
      expect(params(plain.location).get('scope')).toBe('User.Read Mail.Read openid profile offline_access');
      expect(params(plain.location).get('returnUrl')).toBe('/plain?x=1');
      const decorated = await navigate(base, '/decorated');
      expect(params(decorated.location).get('scope')).toBe('Files.Read openid profile offline_access');
      const form = await navigate(base, '/form', 'POST');
      expect(params(form.location).get('returnUrl')).toBe('/compose');
    } finally {
      await app.close();
    }
  });

  it('answers 401 without a round trip on undecorated routes when AppWide is false', async () => {
    const { app, base } = await start({ AppWide: false });
    try {
      const plain = await navigate(base, '/plain');
      expect(plain.status).toBe(401);
      expect(plain.location).toBeUndefined();
      expect(JSON.parse(plain.body)).toMatchObject({ error: 'interaction_required', scopes: ['Mail.Read'] });
      expect(plain.body).not.toContain('consent required'); // the exception's (the IdP's) message stays in the server
      expect((await navigate(base, '/decorated')).status).toBe(302);
    } finally {
      await app.close();
    }
  });

  it.each([
    [
      { Scopes: ['a'], ScopeKeySection: 'DownstreamApis:GraphAPI:Scopes' },
      'IdentityWeb:Consent:ScopeKeySection',
    ],
    [{ FormPostFallbackUrl: 'https://evil.example/' }, 'IdentityWeb:Consent:FormPostFallbackUrl'],
  ])('refuses bad consent settings at start-up (%j)', async (consent, path) => {
    await expect(start(consent)).rejects.toThrow(path);
  });

  it('refuses a reserved header in a downstream API at start-up, naming it', async () => {
    const bad = settings({});
    (bad.DownstreamApis.GraphAPI as Record<string, unknown>).Headers = { Authorization: 'Bearer x' };
    await expect(
      Test.createTestingModule({ imports: [IdentityWebModule.forRoot(bad)] }).compile(),
    ).rejects.toThrow('DownstreamApis:GraphAPI:Headers:Authorization');
  });
});
