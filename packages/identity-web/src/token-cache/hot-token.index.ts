import type { AccessToken } from './access-token';

/** MSAL renews access tokens this long before they expire; the index stops serving them then too. */
export const RENEWAL_WINDOW_MS = 300_000;

/**
 * Renewal times are kept as whole seconds since 2020-01-01 (rounded down, so a token leaves the
 * index at most a second early, never late): a small integer is stored inside the object, where a
 * millisecond timestamp would be a separate boxed number, one more memory read per cache hit.
 */
const EPOCH_MS = Date.UTC(2020, 0, 1);

/** Most distinct scope lists whose lower-cased key is remembered (see {@link HotTokenIndex.subKey}). */
const SCOPE_KEYS_MAX = 1_024;
const scopeKeys = new Map<string, string>();

// Accessors of HotToken's private fields for the index (assigned in HotToken's static block).
let subKeyOf: (t: HotToken) => string;
let renewAtOf: (t: HotToken) => number;
let nextOf: (t: HotToken) => HotToken | undefined;
let setNext: (t: HotToken, next: HotToken | undefined) => void;
let usedOf: (t: HotToken) => boolean;
let setUsed: (t: HotToken, used: boolean) => void;

/**
 * A cached token. It is both what callers receive (an {@link AccessToken}) and the index entry,
 * so a cache hit reads one object: the index's bookkeeping is in private fields, invisible to
 * callers (`JSON.stringify`, `Object.keys`, spreading). The first token of a partition is the
 * one in the index's map; a partition's other tokens hang off it in a short linked list.
 */
class HotToken implements AccessToken {
  readonly accessToken: string;
  readonly expiresOn: Date;
  readonly scopes: string[];
  readonly tokenType: string;
  readonly tenantId?: string;
  #subKey: string;
  #renewAt: number;
  #next: HotToken | undefined = undefined;
  #used = false;

  constructor(token: AccessToken, subKey: string, renewAt: number) {
    this.accessToken = token.accessToken;
    this.expiresOn = token.expiresOn;
    this.scopes = token.scopes;
    this.tokenType = token.tokenType;
    this.tenantId = token.tenantId;
    this.#subKey = subKey;
    this.#renewAt = renewAt;
    // Every caller that hits the cache receives this very object: none may change it for the
    // others. (Private fields stay writable for the index's bookkeeping.)
    Object.freeze(this);
  }

  static {
    subKeyOf = (t) => t.#subKey;
    renewAtOf = (t) => t.#renewAt;
    nextOf = (t) => t.#next;
    setNext = (t, next) => {
      t.#next = next;
    };
    usedOf = (t) => t.#used;
    setUsed = (t, used) => {
      t.#used = used;
    };
  }
}

/**
 * In-process index of valid access tokens, so a cache hit costs a `Map` lookup instead of a
 * partition read, an MSAL client and MSAL's cache scan. Keyed by partition and by a sub-key
 * made of the scopes (sorted, lower-cased), claims, tenant and user flow
 * ({@link HotTokenIndex.subKey}). A hit reads the map and one object (the token it returns).
 * Bounded: when it holds more than `maxEntries` tokens, a partition not read recently is
 * dropped whole (second-chance / CLOCK eviction, so a hit only sets a flag instead of reordering
 * a map of 100 000 entries; the dropped tokens are still in the token cache and the next call
 * reloads them). Tokens leave the index 300 s before they expire, as MSAL renews them.
 *
 * @example
 * ```ts
 * const index = new HotTokenIndex(100_000);
 * const key = HotTokenIndex.subKey(['user.read'], '', '', '');
 * const cached = index.set(partition, key, token);
 * index.get(partition, key); // `cached`, until 300 s before token.expiresOn
 * ```
 */
export class HotTokenIndex {
  private readonly partitions = new Map<string, HotToken>();
  private count = 0;

  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The sub-key of a request within a partition. Scope order and case do not matter, as they do
   * not for the identity provider. For one scope and no claims, tenant or user flow (the common
   * case) the key is the lower-cased scope, remembered per scope string: a cache hit builds no
   * string and later hits compare the same string instance.
   */
  static subKey(scopes: readonly string[], claims: string, tenant: string, userFlow: string): string {
    let scopeKey: string;
    if (scopes.length === 1) {
      const scope = scopes[0];
      const known = scopeKeys.get(scope);
      if (known !== undefined) {
        scopeKey = known;
      } else {
        scopeKey = scope.toLowerCase();
        if (scopeKeys.size >= SCOPE_KEYS_MAX) scopeKeys.clear();
        scopeKeys.set(scope, scopeKey);
      }
    } else {
      scopeKey = scopes
        .map((s) => s.toLowerCase())
        .sort()
        .join(' ');
    }
    if (!claims && !tenant && !userFlow) return scopeKey;
    // Scopes never contain a line feed, so composite keys cannot collide with plain ones.
    return `${scopeKey}\n${claims}\n${tenant.toLowerCase()}\n${userFlow.toLowerCase()}`;
  }

  /** Number of tokens held. */
  get size(): number {
    return this.count;
  }

  /** A token still outside its renewal window, or `undefined`. */
  get(partition: string, subKey: string): AccessToken | undefined {
    const head = this.partitions.get(partition);
    if (head === undefined) return undefined;
    let token: HotToken | undefined = head;
    while (subKeyOf(token) !== subKey) {
      token = nextOf(token);
      if (token === undefined) return undefined;
    }
    if (renewAtOf(token) * 1000 + EPOCH_MS <= this.now()) {
      this.deleteEntry(partition, head, token);
      return undefined;
    }
    if (!usedOf(head)) setUsed(head, true);
    return token;
  }

  /**
   * Remembers `token` until the earlier of `refreshOn` (when the identity provider asked for
   * an early refresh) and 300 s before it expires, and returns the token as the index will
   * serve it. A token already inside that window is not kept (and returned as given).
   */
  set(partition: string, subKey: string, token: AccessToken, refreshOn?: Date): AccessToken {
    let renewAtMs = token.expiresOn.getTime() - RENEWAL_WINDOW_MS;
    if (refreshOn && refreshOn.getTime() < renewAtMs) renewAtMs = refreshOn.getTime();
    const renewAt = Math.floor((renewAtMs - EPOCH_MS) / 1000);
    const head = this.partitions.get(partition);
    if (head !== undefined) {
      const old = find(head, subKey);
      if (old) this.deleteEntry(partition, head, old);
    }
    if (renewAt * 1000 + EPOCH_MS <= this.now()) return token;
    const entry = new HotToken(token, subKey, renewAt);
    const current = this.partitions.get(partition);
    if (current === undefined) {
      this.partitions.set(partition, entry);
    } else {
      // Behind the head: the map keeps pointing at the same object and the partition's place.
      setNext(entry, nextOf(current));
      setNext(current, entry);
    }
    this.count++;
    this.evictOverflow(partition);
    return entry;
  }

  /** Forgets one token, if held (a resource refused it). */
  delete(partition: string, subKey: string): void {
    const head = this.partitions.get(partition);
    const token = head === undefined ? undefined : find(head, subKey);
    if (token) this.deleteEntry(partition, head!, token);
  }

  /** Forgets every token of a partition (sign-out, removed user). */
  evictPartition(partition: string): void {
    const head = this.partitions.get(partition);
    if (!head) return;
    this.count -= lengthOf(head);
    this.partitions.delete(partition);
  }

  /** Forgets everything. */
  clear(): void {
    this.partitions.clear();
    this.count = 0;
  }

  private deleteEntry(partition: string, head: HotToken, token: HotToken): void {
    this.count--;
    if (token === head) {
      const next = nextOf(head);
      if (next === undefined) {
        this.partitions.delete(partition);
      } else {
        // The next token becomes the head, in the head's place in the map (same eviction order).
        setUsed(next, usedOf(head));
        this.partitions.set(partition, next);
      }
      return;
    }
    let before = head;
    while (nextOf(before) !== token) before = nextOf(before)!;
    setNext(before, nextOf(token));
  }

  private evictOverflow(keep: string): void {
    while (this.count > this.maxEntries) {
      const [oldest, head] = this.partitions.entries().next().value as [string, HotToken];
      if (oldest === keep && this.partitions.size === 1) {
        // Only the partition just written is left: trim its tokens instead, its first one first.
        this.deleteEntry(keep, head, head);
        continue;
      }
      if (usedOf(head) || oldest === keep) {
        // Second chance: read since the last pass (or just written); clear and move to the back.
        setUsed(head, false);
        this.partitions.delete(oldest);
        this.partitions.set(oldest, head);
        continue;
      }
      this.evictPartition(oldest);
    }
  }
}

function find(head: HotToken, subKey: string): HotToken | undefined {
  for (let t: HotToken | undefined = head; t !== undefined; t = nextOf(t)) {
    if (subKeyOf(t) === subKey) return t;
  }
  return undefined;
}

function lengthOf(head: HotToken): number {
  let n = 0;
  for (let t: HotToken | undefined = head; t !== undefined; t = nextOf(t)) n++;
  return n;
}
