const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attributes.
 *
 * @example
 * ```ts
 * escapeHtml('<b>'); // '&lt;b&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * A small, self-contained HTML page for an error shown to a person, with a link home and, when
 * given, a link back (never a redirect, so a refused sign-in cannot loop), the correlation id under
 * which the log has the details, and (outside production) development detail. Callers pass
 * messages without secrets.
 *
 * @example
 * ```ts
 * res.status(400).type('html').send(renderErrorPage({ status: 400, title: 'Sign-in failed', message: err.message }));
 * ```
 */
export function renderErrorPage(page: {
  status: number;
  title: string;
  message: string;
  homeUrl?: string;
  /** A same-origin page to offer going back to (already checked by the caller). */
  backUrl?: string;
  /** The id under which the log has the details. */
  correlationId?: string;
  /** Details for the app's developers (outside production). */
  detail?: string;
  /** Outside production: the page says that it shows details visitors in production do not see. */
  development?: boolean;
}): string {
  const title = escapeHtml(page.title);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">',
    `<title>${title}</title></head>`,
    `<body><main><h1>${title}</h1>`,
    `<p id="message">${escapeHtml(page.message)}</p>`,
    page.detail ? `<p id="detail">${escapeHtml(page.detail)}</p>` : '',
    page.development
      ? '<p id="development"><small>Development mode: this page shows details that visitors do not see in production (IdentityWeb:ShowErrorDetails).</small></p>'
      : '',
    `<p><small>HTTP ${page.status}${
      page.correlationId
        ? ` · Correlation id: <code id="correlation-id">${escapeHtml(page.correlationId)}</code>`
        : ''
    }</small></p>`,
    page.backUrl
      ? `<p><a id="back" href="${escapeHtml(page.backUrl)}">Go back to where you were</a></p>`
      : '',
    `<p><a id="home" href="${escapeHtml(page.homeUrl ?? '/')}">Back to the home page</a></p>`,
    '</main></body></html>',
  ].join('\n');
}
