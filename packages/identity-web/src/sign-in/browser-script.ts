import { createConsentFetch } from '../browser/consent-fetch';
import { resubmitPendingForm } from '../browser/resubmit';

let script: string | undefined;

/**
 * The classic script the account routes serve at `{accountRoutesPrefix}/identity-web.js`, built
 * once from the source of the browser helpers (which is why they are self-contained): it defines
 * `window.identityWeb.fetch` (a {@link createConsentFetch} with the defaults) and
 * `window.identityWeb.createConsentFetch`, and sends a kept form post again on the resubmit page.
 *
 * @example
 * ```ts
 * res.type('text/javascript').send(browserScript());
 * ```
 */
export function browserScript(): string {
  script ??= [
    '/* nest-identity-web: window.identityWeb.fetch follows consent and sign-in challenges back to this page. */',
    '(function () {',
    "'use strict';",
    createConsentFetch.toString(),
    resubmitPendingForm.toString(),
    'window.identityWeb = { fetch: createConsentFetch(), createConsentFetch: createConsentFetch };',
    'resubmitPendingForm(document, function (back) {',
    '  return createConsentFetch({ returnUrl: function () { return back; } });',
    '});',
    '})();',
    '',
  ].join('\n');
  return script;
}
