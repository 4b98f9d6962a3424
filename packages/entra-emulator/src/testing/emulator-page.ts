import type { EmulatorPageName, SignInAnswers, TestUser } from './sign-in-answers';

/** The first form of an HTML page: its action (as written) and its inputs' names and values. */
export interface HtmlForm {
  action: string;
  fields: URLSearchParams;
}

/**
 * The first form of a page, or undefined when it has none.
 *
 * @example
 * ```ts
 * parseForm('<form action="/_signin/mfa"><input name="tx" value="1"></form>'); // { action: '/_signin/mfa', … }
 * ```
 */
export function parseForm(html: string): HtmlForm | undefined {
  const form = /<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const fields = new URLSearchParams();
  for (const input of form[2].matchAll(/<input\b[^>]*>/gi)) {
    const name = /\bname="([^"]*)"/.exec(input[0])?.[1];
    if (name) fields.set(decodeHtml(name), decodeHtml(/\bvalue="([^"]*)"/.exec(input[0])?.[1] ?? ''));
  }
  return { action: decodeHtml(form[1]), fields };
}

/**
 * Which sign-in page a form action belongs to, from its path (`/_signin/login` → `login`).
 *
 * @example
 * ```ts
 * emulatorPageOf('/_signin/consent'); // 'consent'
 * ```
 */
export function emulatorPageOf(pathname: string): EmulatorPageName | undefined {
  const name = /^\/_signin\/(login|mfa|consent)$/.exec(pathname)?.[1];
  return name as EmulatorPageName | undefined;
}

/**
 * The error a page shows (`#error`, as the emulator renders refusals), or undefined.
 *
 * @example
 * ```ts
 * pageError('<p class="error" id="error">AADSTS50126: …</p>'); // 'AADSTS50126: …'
 * ```
 */
export function pageError(html: string): string | undefined {
  const text = /<[^>]*\bid="error"[^>]*>([\s\S]*?)<\//.exec(html)?.[1];
  return text === undefined ? undefined : decodeHtml(text).trim();
}

/**
 * The scopes a consent page lists (`data-scope` of `#scopes li`).
 *
 * @example
 * ```ts
 * consentScopesOf(html); // ['openid', 'profile', 'offline_access', 'User.Read']
 * ```
 */
export function consentScopesOf(html: string): string[] {
  return [...html.matchAll(/data-scope="([^"]*)"/g)].map((m) => decodeHtml(m[1]));
}

/**
 * The fields to post back for a sign-in page: the form's own (hidden `tx`) plus the answer.
 *
 * @example
 * ```ts
 * answerFields('mfa', form.fields, alice, {}); // tx=…&otp=123456
 * ```
 */
export function answerFields(
  page: EmulatorPageName,
  fields: URLSearchParams,
  user: TestUser,
  answers: SignInAnswers & { otp: string },
): URLSearchParams {
  const body = new URLSearchParams(fields);
  if (page === 'login') {
    body.set('username', user.username);
    body.set('password', user.password);
  } else if (page === 'mfa') {
    body.set('otp', answers.otp);
  } else {
    body.set('decision', answers.consent === 'refuse' ? 'cancel' : 'accept');
  }
  return body;
}

/** Entities the emulator writes (numeric) and those other pages commonly use (named). */
function decodeHtml(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
