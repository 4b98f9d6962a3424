import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { resolveReturnUrl } from '../http/return-url';
import { IdentityWebOptions } from '../options/identity-web.options';
import { accountRoute, appOrigin } from './app-urls';
import { browserScript } from './browser-script';
import { PendingFormPostStore } from './pending-form-post.store';
import { renderResubmitGonePage, renderResubmitOutcomePage, renderResubmitPage } from './resubmit.page';

/**
 * The account routes that complete a form post kept during a consent round trip:
 * - `GET {prefix}/resubmit?id=`: the page the round trip lands on; it posts the kept fields back,
 *   or says the post was sent already (Back, reload) or could not be kept;
 * - `POST {prefix}/resubmit?id=`: claims the kept post once and sends the browser on to the URL it
 *   was first posted to with a 307, so the browser posts the same fields there; a second claim is
 *   refused with 409 and never reaches the app;
 * - `GET {prefix}/identity-web.js`: the browser helper script (`window.identityWeb.fetch`), which
 *   the resubmit page uses too.
 *
 * @example
 * ```ts
 * await handler.resend(req, res); // 307 to /emails/send, once
 * ```
 */
@Injectable()
export class ResubmitHandler {
  constructor(
    protected readonly options: IdentityWebOptions,
    protected readonly store: PendingFormPostStore,
  ) {}

  /** `GET resubmit?id=`: the page that sends the kept post again, or what became of it. */
  page(req: Request, res: Response): void {
    res.setHeader('Cache-Control', 'no-store');
    const post = this.store.find(req, req.query.id);
    if (!post) {
      res.status(410).type('html').send(renderResubmitGonePage('/'));
      return;
    }
    if (post.kind === undefined || post.sentAt !== undefined) {
      res.type('html').send(renderResubmitOutcomePage(post));
      return;
    }
    const action = `${accountRoute(this.options, 'resubmit')}?id=${encodeURIComponent(post.id)}`;
    res.type('html').send(renderResubmitPage(post, action, accountRoute(this.options, 'identity-web.js')));
  }

  /** `POST resubmit?id=`: on to the original URL with the same body (307), exactly once. */
  async resend(req: Request, res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const post = await this.store.claim(req, req.query.id);
    if (post) {
      res.redirect(307, resolveReturnUrl(post.action, { origin: appOrigin(this.options, req) }));
      return;
    }
    const known = this.store.find(req, req.query.id);
    if (known) res.status(409).type('html').send(renderResubmitOutcomePage(known));
    else res.status(410).type('html').send(renderResubmitGonePage('/'));
  }

  /** `GET identity-web.js`: the browser helper, revalidated by its ETag. */
  script(_req: Request, res: Response): void {
    res
      .set({ 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' })
      .type('text/javascript')
      .send(browserScript());
  }
}
