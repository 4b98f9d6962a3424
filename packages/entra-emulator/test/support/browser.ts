import { CookieJar } from 'tough-cookie';

/** What a sign-in step should answer. */
export interface SignInAnswers {
  username?: string;
  password?: string;
  otp?: string;
  consent?: 'accept' | 'cancel';
}

/** How the round trip ended: at the app's redirect URI (query) or with a form post to it. */
export interface AuthorizationResult {
  /** The app URL the emulator sent the browser to (query mode) or posted to (form_post). */
  url: URL;
  /** Response parameters (query or form fields). */
  params: URLSearchParams;
  /** Pages the browser saw, by form action (`/_signin/login`, `/_signin/mfa`, `/_signin/consent`). */
  pages: string[];
  /** The HTML of the last emulator page. */
  lastHtml?: string;
  /** The HTML of each emulator page seen, by form action. */
  html: Record<string, string>;
}

/**
 * A minimal browser: a cookie jar, manual redirects, and form filling of the emulator's pages.
 */
export class TestBrowser {
  readonly jar = new CookieJar();

  constructor(private readonly emulatorBaseUrl: string) {}

  async authorize(authUrl: string, answers: SignInAnswers = {}): Promise<AuthorizationResult> {
    const pages: string[] = [];
    const seen: Record<string, string> = {};
    let response = await this.request(authUrl);
    for (let step = 0; step < 10; step++) {
      if (response.status === 302) {
        const location = new URL(response.headers.get('location')!, authUrl);
        if (!location.href.startsWith(this.emulatorBaseUrl)) {
          return { url: location, params: location.searchParams, pages, html: seen };
        }
        response = await this.request(location.href);
        continue;
      }
      const html = await response.text();
      const form = parseForm(html);
      if (!form)
        throw Object.assign(new Error(`no form in page (HTTP ${response.status})`), {
          html,
          status: response.status,
        });
      const action = new URL(form.action, this.emulatorBaseUrl);
      if (!action.href.startsWith(this.emulatorBaseUrl)) {
        return { url: action, params: new URLSearchParams(form.fields), pages, lastHtml: html, html: seen };
      }
      pages.push(action.pathname);
      seen[action.pathname] = html;
      const fields = new URLSearchParams(form.fields);
      if (action.pathname === '/_signin/login') {
        if (answers.username === undefined)
          return { url: action, params: fields, pages, lastHtml: html, html: seen };
        fields.set('username', answers.username);
        fields.set('password', answers.password ?? '');
      } else if (action.pathname === '/_signin/mfa') {
        fields.set('otp', answers.otp ?? '');
      } else if (action.pathname === '/_signin/consent') {
        fields.set('decision', answers.consent ?? 'accept');
      }
      if (pages.filter((p) => p === action.pathname).length > 2) {
        throw Object.assign(new Error(`stuck on ${action.pathname}`), { html });
      }
      response = await this.request(action.href, fields);
    }
    throw new Error('too many steps');
  }

  /** GETs (or POSTs a form to) a URL with the jar's cookies, without following redirects. */
  async request(url: string, form?: URLSearchParams): Promise<Response> {
    const cookie = await this.jar.getCookieString(url);
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form?.toString(),
    });
    for (const setCookie of response.headers.getSetCookie()) await this.jar.setCookie(setCookie, url);
    return response;
  }
}

/** The first form of a page: its action and its named inputs' values. */
export function parseForm(html: string): { action: string; fields: Record<string, string> } | undefined {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const fields: Record<string, string> = {};
  for (const input of form[2].matchAll(/<input[^>]*>/gi)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name) fields[unescape(name)] = unescape(value);
  }
  return { action: unescape(form[1]), fields };
}

/** The scopes listed on a consent page. */
export function consentScopes(html: string | undefined): string[] {
  return [...(html ?? '').matchAll(/data-scope="([^"]*)"/g)].map((m) => unescape(m[1]));
}

function unescape(value: string): string {
  return value.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}
