import { MFA_CODE } from '../directory/default-directory';
import { escapeHtml, hiddenFields, page } from './html';

/**
 * The sign-in form: fields `username` and `password`, submit button `#submit`; in a B2C
 * sign-up-sign-in flow also `#forgot-password`, which answers `AADB2C90118` to the app.
 *
 * @example
 * ```ts
 * ctx.sendHtml(200, signInPage({ tx: 'abc', username: 'alice@contoso.onmicrosoft.com', appName: 'Web' }));
 * ```
 */
export function signInPage(input: {
  tx: string;
  username?: string;
  appName: string;
  error?: string;
  /** Offer "Forgot your password?", as a B2C sign-up-sign-in flow does. */
  forgotPassword?: boolean;
}): string {
  const forgot = input.forgotPassword
    ? `\n<button type="submit" id="forgot-password" name="action" value="forgot-password" formnovalidate class="secondary">Forgot your password?</button>`
    : '';
  return page(
    'Sign in',
    `<p>to continue to <strong>${escapeHtml(input.appName)}</strong></p>
${input.error ? `<p class="error" role="alert" id="error">${escapeHtml(input.error)}</p>` : ''}
<form method="post" action="/_signin/login">
${hiddenFields({ tx: input.tx })}
<label for="username">Email or username</label>
<input type="email" id="username" name="username" autocomplete="username" value="${escapeHtml(input.username ?? '')}" required>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" ${input.username ? 'autofocus' : ''}>
<button type="submit" id="submit">Sign in</button>${forgot}
</form>`,
  );
}

/**
 * The MFA step: field `otp` (the code is {@link MFA_CODE}), submit button `#submit`.
 *
 * @example
 * ```ts
 * ctx.sendHtml(200, mfaPage({ tx: 'abc', username: 'bob@contoso.onmicrosoft.com' }));
 * ```
 */
export function mfaPage(input: { tx: string; username: string; error?: string; register?: boolean }): string {
  return page(
    input.register ? 'More information required' : 'Verify your identity',
    `<p>${escapeHtml(input.username)}: ${input.register ? 'your organization needs you to set up multi-factor authentication. Add the emulator to your authenticator app, then enter its code.' : 'enter the code from your authenticator app.'}</p>
<p class="note">Emulator: the code is always <code>${MFA_CODE}</code>.</p>
${input.error ? `<p class="error" role="alert" id="error">${escapeHtml(input.error)}</p>` : ''}
<form method="post" action="/_signin/mfa">
${hiddenFields({ tx: input.tx })}
<label for="otp">Code</label>
<input type="text" id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" autofocus>
<button type="submit" id="submit">Verify</button>
</form>`,
  );
}

/**
 * The consent page: the permissions not yet granted, with `#accept` and `#cancel` buttons
 * (field `decision` = `accept` | `cancel`).
 *
 * @example
 * ```ts
 * ctx.sendHtml(200, consentPage({ tx: 'abc', appName: 'Web', username: 'alice@…', scopes: ['User.Read'] }));
 * ```
 */
export function consentPage(input: {
  tx: string;
  appName: string;
  username: string;
  scopes: string[];
}): string {
  return page(
    'Permissions requested',
    `<p><strong>${escapeHtml(input.appName)}</strong> wants to (signed in as ${escapeHtml(input.username)}):</p>
<ul id="scopes">${input.scopes.map((s) => `<li data-scope="${escapeHtml(s)}">${escapeHtml(s)}</li>`).join('')}</ul>
<form method="post" action="/_signin/consent">
${hiddenFields({ tx: input.tx })}
<button type="submit" id="accept" name="decision" value="accept">Accept</button>
<button type="submit" id="cancel" name="decision" value="cancel" class="secondary">Cancel</button>
</form>`,
  );
}

/**
 * An auto-submitting form that posts the authorization response (`response_mode=form_post`).
 *
 * @example
 * ```ts
 * ctx.sendHtml(200, formPostPage('https://app/signin-oidc', { code, state }));
 * ```
 */
export function formPostPage(action: string, fields: Record<string, string | undefined>): string {
  return `<!doctype html>
<html><head><title>Working...</title></head>
<body onload="document.forms[0].submit()">
<form method="post" action="${escapeHtml(action)}">
${hiddenFields(fields)}
<noscript><p>Script is disabled. Click Submit to continue.</p><button type="submit">Submit</button></noscript>
</form></body></html>`;
}

/**
 * An error page (for errors that must not be sent to an unverified redirect URI).
 *
 * @example
 * ```ts
 * ctx.sendHtml(400, errorPage('AADSTS50011: The redirect URI … does not match …'));
 * ```
 */
export function errorPage(message: string): string {
  return page('Sign-in error', `<p class="error" role="alert" id="error">${escapeHtml(message)}</p>`);
}

/**
 * The page shown after sign-out when no registered post-logout redirect URI was given.
 *
 * @example
 * ```ts
 * ctx.sendHtml(200, signedOutPage());
 * ```
 */
export function signedOutPage(): string {
  return page(
    'You signed out of your account',
    '<p id="signed-out">It is a good idea to close all browser windows.</p>',
  );
}
