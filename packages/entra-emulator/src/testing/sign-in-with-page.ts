import type { Page } from 'playwright-core';

import { MFA_CODE } from '../index';
import { appUrlOf, type AppUnderTest } from './app-url';
import { consentScopesOf, nextStep } from './emulator-page';
import type { EmulatorPageName, SignInAnswers, TestUser } from './sign-in-answers';
import { SignInFlowError } from './sign-in-flow.error';

/**
 * Options of {@link signInWithPage}: where the sign-in starts and how the user answers.
 *
 * @example
 * ```ts
 * const options: PageSignInOptions = { startAt: '/emails', stopAt: 'consent' };
 * ```
 */
export interface PageSignInOptions extends SignInAnswers {
  /** The app's sign-in route (default `/account/signin`); `?returnUrl=` is appended. */
  signInPath?: string;
  /** Where the app should send the user once signed in (default `/`). */
  returnUrl?: string;
  /** Start here instead (a protected page, a `challengeUrl`): any app URL that leads to the emulator. */
  startAt?: string;
}

/**
 * Where a browser sign-in ended and which emulator pages it went through.
 *
 * @example
 * ```ts
 * expect(result.pages).toEqual(['login', 'mfa']);
 * ```
 */
export interface PageSignInResult {
  /** The page's URL at the end: back on the app, or the emulator page it stopped at. */
  url: string;
  /** The emulator pages answered (or stopped at), in order. */
  pages: EmulatorPageName[];
  /** The scopes the consent page listed, when it was shown. */
  consentScopes: string[];
  /** The page the sign-in stopped at, when `stopAt` stopped it. */
  stoppedAt?: EmulatorPageName;
}

/**
 * Signs a user in to an app in a Playwright page: opens the app's sign-in route (or `startAt`),
 * answers the emulator's pages (see {@link answerEmulatorPages}) and resolves once the browser
 * is back on the app, or on the page `stopAt` names.
 *
 * @example
 * ```ts
 * const page = await (await newTestContext(browser)).newPage();
 * await signInWithPage(page, appUrl, DEFAULT_USERS.alice, { startAt: '/profile' });
 * expect(page.url()).toBe(`${appUrl}/profile`);
 * ```
 */
export async function signInWithPage(
  page: Page,
  app: AppUnderTest,
  user: TestUser,
  options: PageSignInOptions = {},
): Promise<PageSignInResult> {
  const appUrl = await appUrlOf(app);
  const { signInPath = '/account/signin', returnUrl = '/' } = options;
  const start = options.startAt ?? `${signInPath}?returnUrl=${encodeURIComponent(returnUrl)}`;
  await page.goto(new URL(start, appUrl).href);
  const seen: PageSignInResult = { url: page.url(), pages: [], consentScopes: [] };
  // A challenge after the callback can send the browser back to the emulator: answer it too.
  for (let visit = 0; visit < 5; visit++) {
    await page.waitForLoadState();
    if (new URL(page.url()).origin === appUrl) return { ...seen, url: page.url() };
    const answered = await answerEmulatorPages(page, user, options);
    seen.pages.push(...answered.pages);
    if (answered.consentScopes.length > 0) seen.consentScopes = answered.consentScopes;
    if (answered.stoppedAt) return { ...seen, url: answered.url, stoppedAt: answered.stoppedAt };
  }
  throw new SignInFlowError(`The browser did not get back to ${appUrl}`, page.url(), 0, await page.content());
}

/**
 * Answers the emulator pages a Playwright page is on, as a person would: types the password,
 * the MFA code when asked (default `MFA_CODE`), accepts or refuses consent; resolves once the
 * browser has left the emulator (or on the page `stopAt` names). Use it after your own
 * `page.goto()` led to the emulator. Throws {@link SignInFlowError} when the emulator refuses.
 *
 * @example
 * ```ts
 * await page.goto(`${appUrl}/emails`);
 * const { consentScopes } = await answerEmulatorPages(page, DEFAULT_USERS.alice);
 * ```
 */
export async function answerEmulatorPages(
  page: Page,
  user: TestUser,
  answers: SignInAnswers = {},
): Promise<PageSignInResult> {
  await page.waitForLoadState();
  const emulator = new URL(page.url()).origin;
  const seen: PageSignInResult = { url: page.url(), pages: [], consentScopes: [] };
  for (let steps = 0; steps < 10; steps++) {
    const now = await snapshot(page);
    if (new URL(now.url).origin !== emulator) return { ...seen, url: now.url };
    const step = nextStep(now, emulator, seen.pages.length);
    if (step.kind === 'refused') throw refused(now, step.reason, step.page);
    if (step.kind === 'form-post') {
      // The page posts itself to the app on load.
      await page.waitForURL((url) => url.origin !== emulator);
      continue;
    }
    const name = step.page;
    seen.pages.push(name);
    if (name === 'consent') seen.consentScopes = consentScopesOf(now.html);
    if (name === answers.stopAt) return { ...seen, url: now.url, stoppedAt: name };
    await answer(page, name, user, answers);
  }
  throw new SignInFlowError('The sign-in did not leave the emulator in 10 steps', page.url(), 0, '');
}

async function answer(page: Page, name: EmulatorPageName, user: TestUser, answers: SignInAnswers) {
  if (name === 'login') {
    await page.fill('#username', user.username);
    await page.fill('#password', user.password);
  } else if (name === 'mfa') {
    await page.fill('#otp', answers.otp ?? MFA_CODE);
  }
  const button = name !== 'consent' ? '#submit' : answers.consent === 'refuse' ? '#cancel' : '#accept';
  await Promise.all([
    page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() }),
    page.click(button),
  ]);
  await page.waitForLoadState();
}

interface Snapshot {
  url: string;
  action: string | null;
  html: string;
}

/** The document's URL, first form action and HTML, read at once: a form_post page may navigate away any moment. */
async function snapshot(page: Page): Promise<Snapshot> {
  const read = () =>
    page.evaluate(() => {
      const form = document.querySelector('form');
      const action = form ? form.getAttribute('action') : null;
      return { url: location.href, action, html: document.documentElement.outerHTML };
    });
  // A page that moves on by itself (a redirect, a script) destroys the context being read; on a
  // busy machine the next document may not have started loading yet, so wait for it a few times.
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      if (attempt >= 10 || page.isClosed()) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      await page.waitForLoadState();
    }
  }
}

function refused(now: Snapshot, reason: string, name?: EmulatorPageName): SignInFlowError {
  const message = `The emulator ${reason} (${new URL(now.url).pathname})`;
  return new SignInFlowError(message, now.url, 0, now.html, name);
}
