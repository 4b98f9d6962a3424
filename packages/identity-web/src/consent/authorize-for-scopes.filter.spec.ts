import {
  type CanActivate,
  Controller,
  Get,
  type INestApplication,
  Post,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { navigate as navigateTo } from 'entra-emulator/testing';
import { ChallengeUserException, IdentityWebError } from '../errors';
import { runWithRequestContext } from '../token-acquisition/request-context';
import { IdentityWebConfiguration } from '../options/identity-web.configuration';
import { IdentityWebOptions } from '../options/identity-web.options';
import { AuthorizeForScopes } from './authorize-for-scopes.decorator';
import { AuthorizeForScopesFilter } from './authorize-for-scopes.filter';
import { PendingFormPostStore } from '../sign-in/pending-form-post.store';

/** One exception shared by two routes, as single-flight token requests share one rejection. */
const shared = new ChallengeUserException(['Files.Read'], 'consent required', { userFlow: 'B2C_1_susi' });

const consent = () =>
  new ChallengeUserException(['Mail.Read'], 'consent required', { msalErrorCode: 'consent_required' });

/** A guard that needs Mail.Send before the handler runs, as a route's own guard might. */
class NeedsMailSendGuard implements CanActivate {
  canActivate(): boolean {
    throw new ChallengeUserException(['Mail.Send'], 'consent required', {
      msalErrorCode: 'consent_required',
    });
  }
}

@Controller('mail')
@AuthorizeForScopes('DownstreamApis:GraphAPI:Scopes')
class MailController {
  @Get()
  list(): never {
    throw consent();
  }

  @Get('mfa')
  @AuthorizeForScopes({ scopes: ['api://secure/read'], userFlow: 'B2C_1_mfa' })
  mfa(): never {
    throw new ChallengeUserException(['api://secure/read'], 'mfa', {
      claims: '{"access_token":{"acrs":{"value":"c1"}}}',
    });
  }

  @Post('send')
  send(): never {
    throw consent();
  }

  @Get('wrapped')
  wrapped(): never {
    throw new Error('downstream call failed', { cause: consent() });
  }

  @Get('shared-a')
  @AuthorizeForScopes({ scopes: ['Files.Read'] })
  sharedA(): never {
    throw shared;
  }

  @Get('shared-b')
  @AuthorizeForScopes({ scopes: ['Mail.Read'], userFlow: 'B2C_1_edit' })
  sharedB(): never {
    throw shared;
  }

  @Get('default')
  @AuthorizeForScopes({ scopes: ['https://storage.azure.com/user_impersonation', 'Mail.Read'] })
  withDefault(): never {
    throw new ChallengeUserException(
      ['https://storage.azure.com/.default', 'https://graph.microsoft.com/.default', 'api://todo/.default'],
      'consent required',
    );
  }

  @Get('guarded')
  @UseGuards(NeedsMailSendGuard)
  @AuthorizeForScopes({ scopes: ['Mail.Read', 'Mail.Send'] })
  guarded(): string {
    return 'never reached';
  }

  @Get('foreign')
  foreign(): never {
    // A ChallengeUserException of another copy of the package: recognised by its code.
    throw Object.assign(new Error('consent required'), { code: 'challenge_user', scopes: ['Files.Read'] });
  }

  @Get('other')
  other(): never {
    throw new IdentityWebError('idp_unavailable', 'the identity provider did not answer');
  }
}

@Controller('plain')
@UseFilters()
class PlainController {
  @Get()
  list(): never {
    throw consent();
  }
}

describe('@AuthorizeForScopes and its filter', () => {
  let app: INestApplication;
  let base: string;
  const user = {
    homeAccountId: 'oid.tid',
    tenantId: 'tid',
    localAccountId: 'oid',
    username: 'alice@contoso.test',
    environment: 'localhost',
  };

  beforeAll(async () => {
    const options = {
      accountRoutesPrefix: '/account',
      downstreamApis: {},
      consent: { appWide: true, formPostFallbackUrl: '/' },
      azureAd: {},
    } as unknown as IdentityWebOptions;
    const configuration = new IdentityWebConfiguration({
      DownstreamApis: { GraphAPI: { BaseUrl: 'https://graph.example', Scopes: ['User.Read', 'Mail.Read'] } },
    });
    const moduleRef = await Test.createTestingModule({
      controllers: [MailController, PlainController],
      providers: [
        { provide: IdentityWebOptions, useValue: options },
        { provide: IdentityWebConfiguration, useValue: configuration },
        AuthorizeForScopesFilter,
        PendingFormPostStore,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false }); // two tests expect 500s on purpose
    app.use((_req: unknown, _res: unknown, next: () => void) => runWithRequestContext({ user }, next));
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });
  afterAll(() => app.close());

  /** A top-level browser navigation to a path of the app. */
  const navigate = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
    navigateTo(`${base}${path}`, init);

  function challengeParams(response: { location: string | undefined }): URLSearchParams {
    const location = response.location ?? '';
    expect(location.startsWith('/account/challenge?')).toBe(true);
    return new URL(location, base).searchParams;
  }

  it('redirects a browser to the challenge with the page it asked for, scopes and hints', async () => {
    const response = await navigate('/mail?folder=inbox&top=5');
    expect(response.status).toBe(302);
    const params = challengeParams(response);
    expect(params.get('returnUrl')).toBe('/mail?folder=inbox&top=5');
    expect(params.get('scope')!.split(' ')).toEqual([
      'User.Read',
      'Mail.Read',
      'openid',
      'profile',
      'offline_access',
    ]);
    expect(params.get('loginHint')).toBe('alice@contoso.test');
    expect(params.get('domainHint')).toBe('organizations');
  });

  it("uses the handler's options over the controller's, with the exception's claims", async () => {
    const params = challengeParams(await navigate('/mail/mfa'));
    expect(params.get('scope')).toBe('api://secure/read openid profile offline_access');
    expect(params.get('claims')).toContain('acrs');
    expect(params.get('policy')).toBe('B2C_1_mfa');
  });

  it('gives each route its own options when routes throw the same exception object', async () => {
    const a = challengeParams(await navigate('/mail/shared-a'));
    const b = challengeParams(await navigate('/mail/shared-b'));
    const a2 = challengeParams(await navigate('/mail/shared-a'));
    expect(b.get('scope')).toBe('Mail.Read Files.Read openid profile offline_access');
    expect(b.get('policy')).toBe('B2C_1_edit');
    expect(a.get('policy')).toBe('B2C_1_susi');
    expect(a2.get('scope')).toBe('Files.Read openid profile offline_access');
  });

  it("drops a resource's .default when a named scope of it is asked for, as Entra refuses both", async () => {
    const params = challengeParams(await navigate('/mail/default'));
    expect(params.get('scope')!.split(' ')).toEqual([
      'https://storage.azure.com/user_impersonation',
      'Mail.Read',
      'api://todo/.default',
      'openid',
      'profile',
      'offline_access',
    ]);
  });

  it('finds the exception when it is the cause of another error', async () => {
    expect((await navigate('/mail/wrapped')).status).toBe(302);
  });

  it("asks for the route's scopes when a guard throws the challenge, before any handler code", async () => {
    const params = challengeParams(await navigate('/mail/guarded?x=1'));
    expect(params.get('scope')).toBe('Mail.Read Mail.Send openid profile offline_access');
    expect(params.get('returnUrl')).toBe('/mail/guarded?x=1');
    expect(params.get('reason')).toBe('consent_required');
  });

  it("answers a challenge thrown by another copy of the library with the controller's scopes", async () => {
    const params = challengeParams(await navigate('/mail/foreign'));
    expect(params.get('scope')).toBe('User.Read Mail.Read Files.Read openid profile offline_access');
  });

  it('sends a form POST back to the same-origin page that submitted it', async () => {
    const fromForm = challengeParams(
      await navigate('/mail/send', { method: 'POST', headers: { referer: `${base}/compose?draft=1` } }),
    );
    expect(fromForm.get('returnUrl')).toBe('/compose?draft=1');
    const foreign = challengeParams(
      await navigate('/mail/send', { method: 'POST', headers: { referer: 'https://evil.example/x' } }),
    );
    expect(foreign.get('returnUrl')).toBe('/');
  });

  it('brings a fetch caller back to the page it states, else to its same-origin Referer', async () => {
    const returnUrlOf = async (headers: Record<string, string>) => {
      const response = await fetch(`${base}/mail?top=5`, {
        headers: { accept: 'application/json', ...headers },
      });
      const body = (await response.json()) as { challengeUrl: string };
      return new URL(body.challengeUrl, base).searchParams.get('returnUrl');
    };
    expect(await returnUrlOf({ 'x-return-url': '/inbox?tab=2#top', referer: `${base}/other` })).toBe(
      '/inbox?tab=2#top',
    );
    expect(await returnUrlOf({ referer: `${base}/inbox?tab=3` })).toBe('/inbox?tab=3');
    expect(await returnUrlOf({ 'x-return-url': 'https://evil.example/', referer: `${base}/inbox` })).toBe(
      '/inbox',
    );
    // Nothing else known: the URL that was called.
    expect(await returnUrlOf({ referer: 'https://evil.example/page' })).toBe('/mail?top=5');
  });

  it('answers fetch/XHR callers with 401 JSON naming the challenge URL', async () => {
    const callers: Record<string, string>[] = [
      { accept: 'application/json' },
      { accept: 'text/html', 'x-requested-with': 'XMLHttpRequest' },
    ];
    for (const headers of callers) {
      const response = await fetch(`${base}/mail?top=5`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('interaction_required');
      const body = (await response.json()) as { error: string; challengeUrl: string };
      expect(body.error).toBe('interaction_required');
      expect(new URL(body.challengeUrl, base).searchParams.get('returnUrl')).toBe('/mail?top=5');
    }
  });

  it('lets other errors through untouched', async () => {
    const response = await navigate('/mail/other');
    expect(response.status).toBe(500);
  });

  it('does nothing on routes without the decorator', async () => {
    expect((await navigate('/plain')).status).toBe(500);
  });

  it('refuses scopes together with a key section at start-up', () => {
    expect(() => AuthorizeForScopes({ scopes: ['a'], scopeKeySection: 'DownstreamApis:X:Scopes' })).toThrow(
      /scopes or scopeKeySection, not both/,
    );
  });
});
