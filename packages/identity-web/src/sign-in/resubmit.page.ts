import { escapeHtml } from '../http/error-page';
import type { PendingFormPost } from './sign-in-session';

/** A link on a page: its id (for tests and styling), where it goes and its text. */
interface PageLink {
  id: string;
  href: string;
  label: string;
}

/** Why a form post was not kept, in words. */
const NOT_KEPT: Record<NonNullable<PendingFormPost['notKept']>, string> = {
  too_large: 'it was too large to keep during sign-in',
  multipart: 'it included files, which are not kept during sign-in',
  unsupported: 'this kind of request is not kept during sign-in',
};

/** A small page of the library: no inline script or style, so a strict Content-Security-Policy allows it. */
function layout(title: string, body: string, script?: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">',
    `<title>${escapeHtml(title)}</title></head>`,
    `<body><main><h1>${escapeHtml(title)}</h1>`,
    body,
    '</main>',
    script ? `<script src="${escapeHtml(script)}"></script>` : '',
    '</body></html>',
  ].join('\n');
}

function links(items: PageLink[]): string {
  return items
    .map((l) => `<p><a id="${l.id}" href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a></p>`)
    .join('\n');
}

/** JSON inside `<script type="application/json">`: nothing in it can close the element. */
function jsonData(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The page that sends a kept form post again after the round trip: the kept fields in a form
 * posted back to `action` (the resubmit route, which sends the browser on to the original URL),
 * submitted by `script`, with a visible Continue button for browsers without scripts. A JSON body
 * is posted by the script, which then returns to the calling page.
 *
 * @example
 * ```ts
 * res.type('html').send(renderResubmitPage(post, '/account/resubmit?id=abc', '/account/identity-web.js'));
 * ```
 */
export function renderResubmitPage(post: PendingFormPost, action: string, script: string): string {
  if (post.kind === 'json') {
    return layout(
      'Permission granted',
      [
        `<div id="identity-web-resubmit-json" data-action="${escapeHtml(action)}" data-content-type="application/json" data-return-url="${escapeHtml(post.returnUrl)}">`,
        `<script type="application/json">${jsonData(post.json ?? 'null')}</script>`,
        '<p id="identity-web-resubmit-status">Sending your request again…</p>',
        `<noscript><p>Scripts are turned off, so your request was not sent again. <a id="back" href="${escapeHtml(post.returnUrl)}">Go back</a> and send it again.</p></noscript>`,
        '</div>',
      ].join('\n'),
      script,
    );
  }
  const inputs = (post.fields ?? [])
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return layout(
    'Permission granted',
    [
      `<form id="identity-web-resubmit" method="post" action="${escapeHtml(action)}">`,
      inputs,
      '<p>Sending what you submitted again…</p>',
      '<p><button type="submit" id="continue">Continue</button></p>',
      '</form>',
    ].join('\n'),
    script,
  );
}

/**
 * What a kept form post's page says once there is nothing to send: it was sent already (Back,
 * reload, a second tab), or it could not be kept and must be sent again by hand.
 *
 * @example
 * ```ts
 * res.type('html').send(renderResubmitOutcomePage(post));
 * ```
 */
export function renderResubmitOutcomePage(post: PendingFormPost): string {
  if (post.notKept) {
    return layout(
      'Permission granted',
      [
        `<p id="message">Permission was granted, but what you submitted was not sent: ${NOT_KEPT[post.notKept]}. Please send it again.</p>`,
        links([{ id: 'back', href: post.returnUrl, label: 'Back to the form' }]),
      ].join('\n'),
    );
  }
  return layout(
    'Already sent',
    [
      '<p id="message">What you submitted was sent after you granted permission. It is not sent again.</p>',
      links([{ id: 'back', href: post.returnUrl, label: 'Continue' }]),
    ].join('\n'),
  );
}

/**
 * The page for a resubmit link that is unknown, expired or another user's.
 *
 * @example
 * ```ts
 * res.status(410).type('html').send(renderResubmitGonePage('/'));
 * ```
 */
export function renderResubmitGonePage(homeUrl: string): string {
  return layout(
    'Nothing to send',
    [
      '<p id="message">This link has expired or is not yours: nothing was sent. If you were sending a form, please send it again.</p>',
      links([{ id: 'home', href: homeUrl, label: 'Back to the home page' }]),
    ].join('\n'),
  );
}
