/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** The sample's page layout: a title, the navigation, and the body (already escaped HTML). */
export function page(title: string, body: string, userName?: string): string {
  const account = userName
    ? `<span id="user">${escapeHtml(userName)}</span> · <a href="/account/signout">Sign out</a>`
    : `<a href="/account/signin">Sign in</a>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<nav><a href="/">Home</a> · <a href="/profile">Profile</a> · <a href="/todos">Todos</a> · <a href="/emails">Mail</a> · <a href="/emails/live">Mail (live)</a> · <a href="/compose">Write</a> · ${account}</nav>
<h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}
