import { Logger, type ArgumentsHost } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthorizeForScopesFilter } from './consent/authorize-for-scopes.filter';
import {
  ConsentDeclinedError,
  DownstreamApiError,
  DownstreamApiUnavailableError,
  IdentityWebError,
  NoSignedInUserError,
  RepeatedChallengeError,
  SignInRefusedError,
} from './errors';
import type { IdentityWebOptions } from './options/identity-web.options';
import { IdentityWebErrorFilter } from './identity-web-error.filter';

interface Answer {
  status?: number;
  /** The `Retry-After` header, when one was set. */
  retryAfter?: string;
  location?: string;
  body?: unknown;
}

/** Runs the filter on `err` for a request with `headers`; answers what it sent. */
function answer(
  err: IdentityWebError,
  request: Partial<Request> = {},
  options: Partial<IdentityWebOptions> = { accountRoutesPrefix: '/account' },
): Answer {
  const sent: Answer = {};
  const res = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return res;
    },
    setHeader(name: string, value: string) {
      if (name.toLowerCase() === 'retry-after') sent.retryAfter = value;
      return res;
    },
    type: () => res,
    send(body: unknown) {
      sent.body = body;
      return res;
    },
    json(body: unknown) {
      sent.body = body;
      return res;
    },
    redirect(code: number, location: string) {
      sent.status = code;
      sent.location = location;
    },
  };
  const req = { method: 'GET', headers: { accept: 'application/json' }, originalUrl: '/', ...request };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ArgumentsHost;
  const filter = new IdentityWebErrorFilter(
    options as IdentityWebOptions,
    {} as unknown as AuthorizeForScopesFilter,
  );
  filter.catch(err, host);
  return sent;
}

describe('IdentityWebErrorFilter', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  describe('downstream_api_unavailable (regression: it fell back to 500)', () => {
    it('answers 503 when the API refused the connection or could not be reached', () => {
      for (const networkCode of ['ECONNREFUSED', 'ENOTFOUND', undefined]) {
        const sent = answer(new DownstreamApiUnavailableError('GET', 'https://api.example/x', networkCode));
        expect({ networkCode, status: sent.status }).toEqual({ networkCode, status: 503 });
        expect(sent.body).toEqual({
          error: 'downstream_api_unavailable',
          message: expect.stringMatching(/service this page depends on is unavailable/),
          correlationId: expect.any(String),
        });
      }
    });

    it('answers 504 when the API did not answer in time', () => {
      for (const networkCode of ['ECONNABORTED', 'ETIMEDOUT']) {
        const sent = answer(new DownstreamApiUnavailableError('GET', 'https://api.example/x', networkCode));
        expect({ networkCode, status: sent.status }).toEqual({ networkCode, status: 504 });
        expect(sent.body).toEqual({
          error: 'downstream_api_unavailable',
          message: expect.stringMatching(/did not answer in time/),
          correlationId: expect.any(String),
        });
      }
    });
  });

  it('answers invalid_call (a bug in the app) with 500 and a generic message', () => {
    const sent = answer(new IdentityWebError('invalid_call', 'Headers:Authorization is reserved.'));
    expect(sent.status).toBe(500);
    expect(sent.body).toEqual({
      error: 'invalid_call',
      message: expect.not.stringMatching(/Authorization/),
      correlationId: expect.any(String),
    });
  });

  it('keeps downstream_api_error at 502, without the API body', () => {
    const sent = answer(new DownstreamApiError('GET', 'https://api.example/x', 500, {}, { detail: 'boom' }));
    expect(sent.status).toBe(502);
    expect(JSON.stringify(sent.body)).not.toMatch(/boom/);
  });

  it("answers 503 with the API's Retry-After when a downstream API said it is unavailable or overloaded", () => {
    for (const status of [503, 429]) {
      const busy = new DownstreamApiError(
        'GET',
        'https://api.example/x',
        status,
        { 'retry-after': '17' },
        {},
      );
      const sent = answer(busy);
      expect({ status, sent: sent.status, retryAfter: sent.retryAfter }).toEqual({
        status,
        sent: 503,
        retryAfter: '17',
      });
      expect(sent.body).toMatchObject({ message: expect.stringMatching(/is unavailable right now/) });
    }
    const without = answer(new DownstreamApiError('GET', 'https://api.example/x', 503, {}, {}));
    expect(without.status).toBe(503);
    expect(without.retryAfter).toBeUndefined();
  });

  it('answers a declined consent with 403 and a page that links back to where the user was', () => {
    const sent = answer(
      new ConsentDeclinedError(
        'You did not grant Contoso permission to read your mail.',
        ['Mail.Read'],
        '/inbox?x="1"',
      ),
      {
        headers: { accept: 'text/html' },
      },
    );
    expect(sent.status).toBe(403);
    expect(sent.body).toContain('<title>Permission not granted</title>');
    expect(sent.body).toContain('You did not grant Contoso permission to read your mail.');
    expect(sent.body).toContain('<a id="back" href="/inbox?x=&quot;1&quot;">');
    expect(sent.body).toContain('<a id="home" href="/">');
  });

  it('answers a repeated challenge with 403, not another round trip', () => {
    const sent = answer(new RepeatedChallengeError('still refused', '/'));
    expect(sent).toEqual({
      status: 403,
      body: {
        error: 'challenge_repeated',
        message: 'still refused',
        backUrl: '/',
        correlationId: expect.any(String),
      },
    });
  });

  it('with ShowErrorDetails off (production) answers a refused sign-in briefly, the details in the log only', () => {
    const logged: string[] = [];
    jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation((message: unknown) => void logged.push(String(message)));
    const sent = answer(
      new SignInRefusedError(
        'The authorization code was refused: https://login.example/tenant AADSTS7000215.',
      ),
      { headers: { accept: 'text/html' } },
      { showErrorDetails: false, azureAd: {} } as IdentityWebOptions,
    );
    expect(sent.status).toBe(400);
    expect(sent.body).toContain('Sign-in could not be completed. Please sign in again.');
    expect(sent.body).not.toMatch(/AADSTS|login\.example/);
    const id = /id="correlation-id">([^<]+)</.exec(String(sent.body))![1];
    expect(logged).toEqual([
      expect.stringContaining(`[correlation id ${id}]: The authorization code was refused`),
    ]);
  });

  it('answers a fetch without a session with 401 and a signInUrl back to the calling page', () => {
    const fromPage = answer(
      new NoSignedInUserError('Sign-in required.'),
      {
        originalUrl: '/api/emails',
        headers: { accept: 'application/json', 'x-return-url': '/emails?tab=2', host: 'app.example' },
        protocol: 'http',
      } as Partial<Request>,
      {
        accountRoutesPrefix: '/account',
        azureAd: {},
        allowedHosts: ['app.example'],
      } as unknown as IdentityWebOptions,
    );
    expect(fromPage).toEqual({
      status: 401,
      body: {
        error: 'no_user',
        message: 'Sign-in required.',
        signInUrl: `/account/signin?returnUrl=${encodeURIComponent('/emails?tab=2')}`,
      },
    });
  });
});
