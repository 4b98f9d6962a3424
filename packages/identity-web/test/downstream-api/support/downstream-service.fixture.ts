import type { ArgumentsHost } from '@nestjs/common';
import type { AuthorizeForScopesFilter } from '../../../src/consent/authorize-for-scopes.filter';
import type {
  AuthorizationHeaderOptions,
  AuthorizationHeaderProvider,
} from '../../../src/downstream-api/authorization-header.provider';
import { DownstreamApiService } from '../../../src/downstream-api/downstream-api.service';
import { DownstreamTransports } from '../../../src/downstream-api/downstream-transports';
import { ChallengeUserException, type DownstreamApiUnavailableError } from '../../../src/errors';
import { IdentityWebErrorFilter } from '../../../src/identity-web-error.filter';
import type { HttpTransport } from '../../../src/options/http.section';
import type { IdentityWebOptions } from '../../../src/options/identity-web.options';
import { startEchoApi, type EchoApi } from './echo-api';

/** Stands in for token acquisition: hands out recognisable tokens and records what was asked. */
export class RecordingHeaders {
  calls: Array<{ scopes: readonly string[]; options: AuthorizationHeaderOptions }> = [];
  challengeOnClaims = false;
  async createAuthorizationHeader(scopes: readonly string[], options: AuthorizationHeaderOptions = {}) {
    this.calls.push({ scopes, options });
    if (options.acquireTokenOptions?.claims) {
      // As token acquisition does: the challenge carries the claims the request asked with.
      if (this.challengeOnClaims) {
        throw new ChallengeUserException([...scopes], 'MFA needed', {
          claims: options.acquireTokenOptions.claims,
        });
      }
      return 'Bearer with-claims';
    }
    return options.requestAppToken ? 'Bearer app-token' : 'Bearer user-token';
  }
}

/** The HTTP status the module's error filter answers `err` with. */
export function statusFor(err: unknown): number | undefined {
  let status: number | undefined;
  const res = {
    headersSent: false,
    status: (code: number) => ((status = code), res),
    setHeader: () => res,
    type: () => res,
    send: () => res,
    json: () => res,
  };
  const req = { method: 'GET', headers: { accept: 'application/json' }, originalUrl: '/' };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ArgumentsHost;
  new IdentityWebErrorFilter(
    { accountRoutesPrefix: '/account' } as IdentityWebOptions,
    {} as unknown as AuthorizeForScopesFilter,
  ).catch(err as DownstreamApiUnavailableError, host);
  return status;
}

/** What the DownstreamApiService specs share; the fields are set anew before each test. */
export interface DownstreamServiceFixture {
  api: EchoApi;
  /** Another origin, for cross-origin redirects. */
  other: EchoApi;
  headers: RecordingHeaders;
  service: DownstreamApiService;
  options: IdentityWebOptions;
}

/**
 * Jest hooks for the enclosing `describe`: two echo APIs for all its tests, and before each test a
 * DownstreamApiService over `transport` with recording headers and three configured APIs
 * (TodoList for the user, Daemon for the app, Anonymous without a token).
 */
function useDownstreamService(transport: HttpTransport): DownstreamServiceFixture {
  const fixture = {} as DownstreamServiceFixture;
  const transports = new DownstreamTransports();

  beforeAll(async () => {
    fixture.api = await startEchoApi();
    fixture.other = await startEchoApi();
  });
  afterAll(async () => {
    await transports.close(); // closes the kept-alive sockets, or the servers would wait for them
    await new Promise<void>((resolve) => fixture.api.server.close(() => resolve()));
    await new Promise<void>((resolve) => fixture.other.server.close(() => resolve()));
  });

  beforeEach(() => {
    const { api, other } = fixture;
    api.seen.length = 0;
    other.seen.length = 0;
    fixture.headers = new RecordingHeaders();
    fixture.options = {
      downstreamApis: {
        TodoList: {
          baseUrl: `${api.baseUrl}/base/`,
          scopes: ['api://todo/access_as_user'],
          headers: { 'X-Configured': 'yes' },
          queryParameters: { api: '1' },
        },
        Daemon: { baseUrl: api.baseUrl, scopes: ['api://todo/.default'], requestAppToken: true },
        Anonymous: { baseUrl: api.baseUrl },
      },
      http: { transport, maxRedirects: 5 },
    } as unknown as IdentityWebOptions;
    fixture.service = new DownstreamApiService(
      fixture.options,
      fixture.headers as unknown as AuthorizationHeaderProvider,
      transports,
    );
  });
  return fixture;
}

/**
 * The DownstreamApiService specs' outer `describe`, once per transport, with the same title in every
 * spec file: `tests` registers the tests against that transport's fixture.
 */
export function describeDownstreamService(
  tests: (ctx: DownstreamServiceFixture, transport: HttpTransport) => void,
): void {
  describe.each(['axios', 'undici'] satisfies HttpTransport[])(
    'DownstreamApiService over %s against a real local API',
    (transport) => tests(useDownstreamService(transport), transport),
  );
}
