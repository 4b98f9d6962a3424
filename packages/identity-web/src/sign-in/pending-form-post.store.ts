import { Injectable } from '@nestjs/common';
import { requestPathAndQuery, type HttpRequestLike } from '../http/browser-request';
import { IdentityWebOptions } from '../options/identity-web.options';
import { randomUrlSafe } from './pkce';
import { runSessionCall, sessionState, sessionUser, type PendingFormPost } from './sign-in-session';

/** The request parts the store reads: method, URL, headers and the body as a body parser left it. */
export type FormPostRequest = HttpRequestLike & { body?: unknown; sessionID?: string };

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;

/**
 * Keeps a form post that needed consent in the user's session during the round trip, so the
 * resubmit page can send it again once afterwards. Url-encoded fields (as the body parser gave
 * them) and JSON bodies are kept up to `IdentityWeb:Consent:ResubmitMaxBytes`; file uploads, larger
 * bodies and other methods are remembered as not kept, so the user is told to send them again.
 * Entries are bound to the user who posted, expire after `lifetimeMs`, at most `maxKept` are kept
 * per session, and each is claimed once: afterwards it is only remembered as sent.
 *
 * @example
 * ```ts
 * const id = store.keep(req, user, '/compose');   // in the consent filter
 * const post = await store.claim(req, id);          // when the resubmit page posts it back
 * ```
 */
@Injectable()
export class PendingFormPostStore {
  /** How long a kept form post waits for its round trip, in milliseconds. */
  protected readonly lifetimeMs: number = 10 * 60 * 1000;
  /** Form posts kept per session (several tabs may need consent at once). */
  protected readonly maxKept: number = 3;
  /** Ids this process claimed lately: a second tab posting the same id before the session is saved. */
  private readonly claimed = new Map<string, number>();

  constructor(protected readonly options: IdentityWebOptions) {}

  /**
   * Keeps the form post `req` carries for `homeAccountId` and returns its id, or `undefined` when
   * resubmission is turned off (`IdentityWeb:Consent:ResubmitFormPosts`) or there is no session.
   */
  keep(req: FormPostRequest, homeAccountId: string, returnUrl: string): string | undefined {
    if (!this.options.consent.resubmitFormPosts) return undefined;
    const state = sessionState(req, true);
    if (!state) return undefined;
    const entry: PendingFormPost = {
      id: randomUrlSafe(16),
      user: homeAccountId,
      action: requestPathAndQuery(req),
      returnUrl,
      createdAt: this.now(),
      ...this.bodyOf(req),
    };
    state.formPosts = [...(state.formPosts ?? []).filter((p) => !this.isExpired(p)), entry].slice(
      -this.maxKept,
    );
    return entry.id;
  }

  /** The live entry `id` of the session's signed-in user (sent or not), or `undefined`. */
  find(req: FormPostRequest, id: unknown): PendingFormPost | undefined {
    if (typeof id !== 'string' || id.length === 0) return undefined;
    const user = sessionUser(req)?.homeAccountId;
    const entry = sessionState(req)?.formPosts?.find((p) => p.id === id);
    return entry && user === entry.user && !this.isExpired(entry) ? entry : undefined;
  }

  /**
   * Marks the kept form post `id` as sent and saves the session at once; `undefined` when it is
   * unknown, expired, another user's, not kept, or already sent (here or by a concurrent request).
   */
  async claim(req: FormPostRequest, id: unknown): Promise<PendingFormPost | undefined> {
    const entry = this.find(req, id);
    if (!entry || entry.sentAt !== undefined || entry.kind === undefined) return undefined;
    const key = `${req.sessionID ?? ''}\n${entry.id}`;
    if (this.claimed.has(key)) return undefined;
    this.forgetOldClaims();
    this.claimed.set(key, this.now());
    entry.sentAt = this.now();
    const session = (req as { session?: { save?(done: (err?: unknown) => void): void } }).session;
    if (session?.save) await runSessionCall((done) => session.save!(done));
    return entry;
  }

  /** The clock; tests and subclasses may replace it. */
  protected now(): number {
    return Date.now();
  }

  protected isExpired(entry: PendingFormPost): boolean {
    return this.now() - entry.createdAt > this.lifetimeMs;
  }

  /** What is kept of the body: the fields or the JSON text, or why nothing is. */
  protected bodyOf(req: FormPostRequest): Pick<PendingFormPost, 'kind' | 'fields' | 'json' | 'notKept'> {
    if ((req.method ?? '').toUpperCase() !== 'POST') return { notKept: 'unsupported' };
    const type = header(req, 'content-type');
    if (/^multipart\//i.test(type)) return { notKept: 'multipart' };
    const max = this.options.consent.resubmitMaxBytes;
    if (Number(header(req, 'content-length') || 0) > max) return { notKept: 'too_large' };
    const body = req.body;
    if (FORM_TYPE.test(type) && body !== null && typeof body === 'object') {
      const fields = formFields(body as Record<string, unknown>);
      if (!fields) return { notKept: 'unsupported' };
      const size = fields.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v) + 2, 0);
      return size > max ? { notKept: 'too_large' } : { kind: 'form', fields };
    }
    if (JSON_TYPE.test(type) && body !== undefined) {
      const json = JSON.stringify(body);
      if (json === undefined) return { notKept: 'unsupported' };
      return Buffer.byteLength(json) > max ? { notKept: 'too_large' } : { kind: 'json', json };
    }
    return { notKept: 'unsupported' };
  }

  private forgetOldClaims(): void {
    if (this.claimed.size < 1_000) return;
    for (const [key, at] of this.claimed) if (this.now() - at > this.lifetimeMs) this.claimed.delete(key);
  }
}

function header(req: FormPostRequest, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/**
 * The fields of a parsed url-encoded body, in order, as a form would post them: repeated names
 * for arrays, `a[b]` for the nested objects of an extended (qs) parser; `undefined` for anything
 * a form cannot post.
 */
function formFields(body: Record<string, unknown>): Array<[string, string]> | undefined {
  const fields: Array<[string, string]> = [];
  const add = (name: string, value: unknown, depth: number): boolean => {
    if (typeof value === 'string') return fields.push([name, value]) > 0;
    if (depth > 5 || value === null || typeof value !== 'object') return false;
    if (Array.isArray(value)) {
      return value.every((item, i) =>
        add(typeof item === 'string' ? name : `${name}[${i}]`, item, depth + 1),
      );
    }
    return Object.entries(value).every(([key, item]) => add(`${name}[${key}]`, item, depth + 1));
  };
  return Object.entries(body).every(([name, value]) => add(name, value, 0)) ? fields : undefined;
}
