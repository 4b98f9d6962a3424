import { request, type IncomingHttpHeaders } from 'node:http';
import {
  SignInDriver,
  type SignInAnswers,
} from '../../../identity-web/test/token-acquisition/support/sign-in.driver';

/** What a request to the app answered. */
export interface AppResponse {
  status: number;
  location: string | null;
  body: unknown;
}

/**
 * A person using the test app without a browser: one cookie jar for the app and the emulator,
 * the emulator's pages filled in by the identity-web `SignInDriver`, redirects back to the app
 * followed by hand so each answer of the app can be inspected.
 */
export class BrowserlessUser {
  private readonly driver = new SignInDriver();

  constructor(
    private readonly appUrl: string,
    private readonly answers: SignInAnswers,
  ) {}

  /** Starts at an app URL that leads to the emulator (sign-in, challenge) and comes back signed in; returns where the app sent the user. */
  async roundTrip(path: string): Promise<string> {
    const callback = await this.driver.authorize(
      new URL(path, this.appUrl).toString(),
      this.answers,
      `${this.appUrl}/signin-oidc`,
    );
    const error = callback.searchParams.get('error');
    if (error)
      throw new Error(`The emulator answered ${error}: ${callback.searchParams.get('error_description')}`);
    const landed = await this.get(callback.pathname + callback.search, 'text/html');
    if (landed.status !== 302 || !landed.location) {
      throw new Error(`The sign-in callback answered ${landed.status}: ${JSON.stringify(landed.body)}`);
    }
    return landed.location;
  }

  /** Signs in through the app's own account route. */
  signIn(returnUrl = '/'): Promise<string> {
    return this.roundTrip(`/account/signin?returnUrl=${encodeURIComponent(returnUrl)}`);
  }

  /**
   * A GET as `fetch` (JSON) or as a page navigation (HTML), with the session cookie, not following
   * redirects. Sent with node:http: Node's fetch always says `Sec-Fetch-Mode: cors`, never a navigation.
   */
  async get(
    path: string,
    accept: 'application/json' | 'text/html' = 'application/json',
  ): Promise<AppResponse> {
    const url = new URL(path, this.appUrl);
    const headers = {
      accept,
      cookie: await this.driver.jar.getCookieString(url.toString()),
      'sec-fetch-mode': accept === 'text/html' ? 'navigate' : 'cors',
    };
    const { status, responseHeaders, text } = await new Promise<{
      status: number;
      responseHeaders: IncomingHttpHeaders;
      text: string;
    }>((resolve, reject) => {
      const req = request(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            responseHeaders: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    for (const cookie of responseHeaders['set-cookie'] ?? [])
      await this.driver.jar.setCookie(cookie, url.toString());
    const body: unknown = (responseHeaders['content-type'] ?? '').includes('json') ? JSON.parse(text) : text;
    return { status, location: responseHeaders.location ?? null, body };
  }
}
