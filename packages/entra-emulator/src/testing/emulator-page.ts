import type { EmulatorPageName, SignInAnswers, TestUser } from './sign-in-answers';

/** The first form of an HTML page: its action (as written) and its inputs' names and values. */
interface HtmlForm {
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
function emulatorPageOf(pathname: string): EmulatorPageName | undefined {
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
function pageError(html: string): string | undefined {
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
 * What to do on a page seen during a sign-in: follow the `response_mode=form_post` form that
 * posts the answer off the emulator, answer a sign-in page, or give up (with why, for the error).
 *
 * @example
 * ```ts
 * const step = nextStep({ url, action, html }, emulatorOrigin, pagesAnswered);
 * if (step.kind === 'page') console.log(step.page); // 'login'
 * ```
 */
export type PageStep =
  | { kind: 'form-post'; target: URL }
  | { kind: 'page'; page: EmulatorPageName; action: URL }
  | { kind: 'refused'; reason: string; page?: EmulatorPageName };

/**
 * Decides the {@link PageStep} for a page at `url` whose first form posts to `action` (null
 * without a form). An error on it counts as a refusal only after an answer of ours: before, it
 * is an earlier attempt's (a test retrying after a wrong password).
 *
 * @example
 * ```ts
 * nextStep({ url: 'https://localhost:8443/t/oauth2/v2.0/authorize', action: '/_signin/login', html }, 'https://localhost:8443', 0);
 * ```
 */
export function nextStep(
  now: { url: string; action: string | null; html: string },
  emulator: string,
  answered: number,
): PageStep {
  if (now.action === null) {
    return { kind: 'refused', reason: `shows no form: ${pageError(now.html) ?? 'no error shown'}` };
  }
  const target = new URL(now.action, now.url);
  if (target.origin !== emulator) return { kind: 'form-post', target };
  const page = emulatorPageOf(target.pathname);
  if (!page) return { kind: 'refused', reason: `shows a form the kit does not know (${target.pathname})` };
  const error = pageError(now.html);
  if (error && answered > 0) return { kind: 'refused', reason: `refused the ${page} answer: ${error}`, page };
  return { kind: 'page', page, action: target };
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
