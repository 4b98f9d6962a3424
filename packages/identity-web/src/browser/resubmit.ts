// Browser code, served with createConsentFetch in one script: self-contained, see consent-fetch.ts.

/** A `fetch` that comes back to `returnUrl` after a round trip (the served script passes createConsentFetch's). */
type FetchReturningTo = (returnUrl: string) => (input: string, init: RequestInit) => Promise<Response>;

/**
 * Sends a form post kept during a consent round trip again, on the page the library renders
 * after the round trip (`{accountRoutesPrefix}/resubmit`): a kept form (`#identity-web-resubmit`)
 * is submitted as is; a kept JSON body (`#identity-web-resubmit-json`) is posted with `fetch`,
 * then the browser goes back to the page that made the call. Does nothing on other pages. The
 * script served at `{accountRoutesPrefix}/identity-web.js` runs it on load.
 *
 * @example
 * ```ts
 * resubmitPendingForm(document, (back) => createConsentFetch({ returnUrl: () => back }));
 * ```
 */
export function resubmitPendingForm(doc: Document, fetchReturningTo: FetchReturningTo): void {
  const form = doc.getElementById('identity-web-resubmit');
  if (form && form.tagName === 'FORM') {
    (form as HTMLFormElement).submit();
    return;
  }
  const box = doc.getElementById('identity-web-resubmit-json');
  const data = box?.querySelector('script[type="application/json"]');
  if (!box || !data) return;
  const back = box.dataset.returnUrl || '/';
  const status = doc.getElementById('identity-web-resubmit-status');
  fetchReturningTo(back)(box.dataset.action || '', {
    method: 'POST',
    headers: { 'content-type': box.dataset.contentType || 'application/json' },
    body: data.textContent ?? '',
    credentials: 'same-origin',
  }).then(
    (response) => {
      if (response.ok) location.replace(back);
      else if (status) status.textContent = `The request was sent again but answered ${response.status}.`;
    },
    () => {
      if (status) status.textContent = 'The request could not be sent again: the app did not answer.';
    },
  );
}
