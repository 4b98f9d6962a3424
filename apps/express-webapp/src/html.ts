const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML content and attribute values. */
export function text(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** The Express sample's layout: title, navigation (with who is signed in), and the body (HTML). */
export function layout(title: string, body: string, userName?: string): string {
  const nav = ['<a href="/">Home</a>', '<a href="/profile">Profile</a>', '<a href="/emails">Mail</a>'];
  nav.push('<a href="/emails/live">Mail (live)</a>', '<a href="/compose">Write</a>');
  nav.push(
    userName === undefined
      ? '<a href="/account/signin">Sign in</a>'
      : `<span id="user">${text(userName)}</span> <form method="post" action="/account/signout" style="display:inline"><button id="signout">Sign out</button></form>`,
  );
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${text(title)}</title></head><body>`,
    `<nav>${nav.join(' · ')}</nav>`,
    `<h1>${text(title)}</h1>`,
    body,
    '</body></html>',
  ].join('\n');
}
