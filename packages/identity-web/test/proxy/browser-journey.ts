import { DEFAULT_USERS } from 'entra-emulator';
import { answerEmulatorPages, newTestContext, signInWithPage, type TestUser } from 'entra-emulator/testing';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';

/** The session cookie's name in the sample's configuration. */
export const SESSION_COOKIE = 'iw.sid';

/** An answer from the deployment, as the browser saw it. */
export interface Answer {
  path: string;
  by: string;
  status: number;
}

/** A session cookie the deployment set, as sent in `Set-Cookie`. */
export interface SetSessionCookie {
  /** The request that set it. */
  path: string;
  /** Bytes of `name=value` (what browsers count against their 4,096-byte limit). */
  bytes: number;
  /** The attributes after the value, as sent (`Secure`, `HttpOnly`, `SameSite=Lax`, …). */
  attributes: string[];
}

/**
 * A user's browser (Alice's unless told) on the deployment behind the proxy: records which instance answered each of the
 * journey's requests and every session cookie the instances set, and signs her in again when a
 * page sends her to the emulator.
 */
export class BrowserJourney {
  /** The deployment's answers, in order (requests to other origins are not recorded). */
  readonly answers: Answer[] = [];
  /** Every `Set-Cookie: iw.sid=…` the deployment sent, clearing ones included. */
  private readonly setCookies: SetSessionCookie[] = [];
  private readonly reading: Promise<void>[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly app: string,
    private readonly user: TestUser,
  ) {
    page.on('response', (res: Response) => this.record(res));
  }

  static async open(
    browser: Browser,
    app: string,
    user: TestUser = DEFAULT_USERS.alice,
  ): Promise<BrowserJourney> {
    const context = await newTestContext(browser, { timeoutMs: 15_000 });
    // Only the journey's own requests go through the proxy: a favicon request would take a turn
    // in the round-robin at a moment the test does not control.
    await context.route('**/favicon.ico', (route) => route.fulfill({ status: 404 }));
    return new BrowserJourney(context, await context.newPage(), app, user);
  }

  private record(res: Response): void {
    const url = new URL(res.url());
    const by = res.headers()['x-instance-id'];
    if (url.origin !== this.app || !by) return;
    const path = url.pathname + url.search;
    this.answers.push({ path, by, status: res.status() });
    this.reading.push(
      res.headerValues('set-cookie').then((values) => {
        for (const header of values.flatMap((v) => v.split('\n'))) {
          const [pair, ...attributes] = header.split(';').map((part) => part.trim());
          if (pair!.startsWith(`${SESSION_COOKIE}=`))
            this.setCookies.push({ path, bytes: Buffer.byteLength(pair!), attributes });
        }
      }),
    );
  }

  /** The session cookies the deployment set so far (with a value: clearing ones left out). */
  async sessionCookiesSet(): Promise<SetSessionCookie[]> {
    await Promise.all(this.reading);
    return this.setCookies.filter((c) => c.bytes > SESSION_COOKIE.length + 1);
  }

  /** The session cookie as the browser keeps it now, if it keeps one. */
  async sessionCookie() {
    return (await this.context.cookies(this.app)).find((c) => c.name === SESSION_COOKIE);
  }

  /**
   * Opens `path`, answers the emulator's pages and comes back to `path`; says which instance sent
   * the browser to the emulator and which one took the callback.
   */
  async roundTrip(path: string) {
    const from = this.answers.length;
    const result = await signInWithPage(this.page, this.app, this.user, { startAt: path });
    expect(result.url).toBe(`${this.app}${path}`);
    const seen = this.answers.slice(from);
    const callback = seen.findIndex((a) => a.path.startsWith('/signin-oidc?'));
    expect(callback).toBeGreaterThan(0);
    return { ...result, leftFrom: seen[callback - 1]!.by, callbackOn: seen[callback]!.by };
  }

  /**
   * Fills the page's form with `fields` and submits it with `button`; the post needs consent, so the
   * browser goes to the emulator, answers its pages, and the library posts the form again on return.
   * Resolves once the browser lands on `landAt` (a path, or a pattern of the whole URL); says which
   * emulator pages were answered.
   */
  async postNeedingConsent(fields: Record<string, string>, button: string, landAt: string | RegExp) {
    for (const [name, value] of Object.entries(fields)) await this.page.fill(`[name="${name}"]`, value);
    await this.page.click(button);
    await this.page.waitForURL((url) => url.origin !== this.app);
    const answered = await answerEmulatorPages(this.page, this.user);
    await this.page.waitForURL(typeof landAt === 'string' ? `${this.app}${landAt}` : landAt);
    return answered;
  }

  /** Opens `path` `times` times; each must stay on `path` and show `count` messages. */
  async readMail(path: string, count: number, times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      await this.page.goto(`${this.app}${path}`);
      expect(this.page.url()).toBe(`${this.app}${path}`);
      expect(await this.page.locator('#messages li').count()).toBe(count);
    }
  }

  /** Which instances answered the requests recorded since {@link forget}. */
  answeredBy(): Set<string> {
    return new Set(this.answers.map((a) => a.by));
  }

  /** Starts the record of answers afresh. */
  forget(): void {
    this.answers.length = 0;
  }
}
