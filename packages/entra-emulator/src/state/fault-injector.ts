import type { EndpointName } from '../http/router';

/** A fault to inject into the next `count` requests to an endpoint. */
export interface FaultSpec {
  endpoint: EndpointName;
  /** Answer with this status instead (500, 503, 429…); omit for latency only. */
  status?: number;
  /** Adds a `Retry-After` header (seconds). */
  retryAfterSeconds?: number;
  /** Delays the response by this many milliseconds. */
  latencyMs?: number;
  /** How many requests are affected; 1 unless given. */
  count?: number;
}

/**
 * Holds injected faults and hands them out, one request at a time.
 *
 * @example
 * ```ts
 * faults.add({ endpoint: 'token', status: 503, retryAfterSeconds: 5, count: 2 });
 * faults.take('token'); // the fault, twice; then undefined
 * ```
 */
export class FaultInjector {
  private faults: { spec: FaultSpec; remaining: number }[] = [];

  add(spec: FaultSpec): void {
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new Error('fault.count: expected a positive integer');
    if (
      spec.status !== undefined &&
      (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599)
    ) {
      throw new Error('fault.status: expected an HTTP error status (400-599)');
    }
    if (spec.latencyMs !== undefined && !(spec.latencyMs >= 0 && spec.latencyMs <= 60_000)) {
      throw new Error('fault.latencyMs: expected 0..60000');
    }
    this.faults.push({ spec, remaining: count });
  }

  take(endpoint: EndpointName): FaultSpec | undefined {
    const entry = this.faults.find((f) => f.spec.endpoint === endpoint && f.remaining > 0);
    if (!entry) return undefined;
    entry.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return entry.spec;
  }

  clear(): void {
    this.faults = [];
  }
}
