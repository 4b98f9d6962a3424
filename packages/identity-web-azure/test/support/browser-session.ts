import { request } from 'node:http';
import {
  SignInDriver,
  type SignInAnswers,
} from '../../../identity-web/test/token-acquisition/support/sign-in.driver';

/** What a navigation answered. */
export interface NavigationResult {
  status: number;
  location: string | undefined;
  body: string;
}

/**
 * A browser without JavaScript: one cookie jar for the app and the emulator, and the emulator's
 * sign-in and consent pages filled in by the identity web library's test driver.
 */
export class BrowserSession {
  private readonly driver = new SignInDriver();

  constructor(
    private readonly appBaseUrl: string,
    private readonly answers: SignInAnswers,
  ) {}

  /** A script's request to the app (`fetch`) with this session's cookies; redirects are not followed. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(path, this.appBaseUrl).toString();
    const headers = new Headers(init.headers);
    headers.set('cookie', await this.driver.jar.getCookieString(url));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) await this.driver.jar.setCookie(cookie, url);
    return response;
  }

  /**
   * A GET as a browser navigates to a page (`Sec-Fetch-Mode: navigate`), sent with node:http
   * because `fetch` always adds `Sec-Fetch-Mode: cors`.
   */
  async navigate(path: string): Promise<NavigationResult> {
    const url = new URL(path, this.appBaseUrl);
    const cookie = await this.driver.jar.getCookieString(url.toString());
    const headers = {
      accept: 'text/html',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'document',
      cookie,
    };
    const answer = await new Promise<NavigationResult & { setCookies: string[] }>((resolve, reject) => {
      const req = request(url, { headers }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            setCookies: res.headers['set-cookie'] ?? [],
            body: text,
          }),
        );
      });
      req.setTimeout(10_000, () => req.destroy(new Error(`GET ${url} timed out after 10 s`)));
      req.on('error', reject);
      req.end();
    });
    for (const setCookie of answer.setCookies) await this.driver.jar.setCookie(setCookie, url.toString());
    return { status: answer.status, location: answer.location, body: answer.body };
  }

  /**
   * Follows an app URL that sends the user to the identity provider (sign-in or challenge)
   * through the emulator's pages and back to the app's callback; returns where the app then sends the user.
   */
  async roundTrip(path: string): Promise<string> {
    const start = await this.navigate(path);
    if (start.status !== 302 || !start.location) {
      throw new Error(`${path} answered ${start.status}, not a redirect to the identity provider`);
    }
    const callback = await this.driver.authorize(
      new URL(start.location, this.appBaseUrl).toString(),
      this.answers,
      new URL('/signin-oidc', this.appBaseUrl).toString(),
    );
    const back = await this.navigate(callback.toString());
    if (back.status !== 302 || !back.location)
      throw new Error(
        `The sign-in callback answered ${back.status}: ${back.body.replace(/\s+/g, ' ').slice(0, 400)}`,
      );
    return back.location;
  }
}
