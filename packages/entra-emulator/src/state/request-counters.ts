import type { EndpointName } from '../http/router';

/** Requests seen since start or the last reset. */
export interface CounterSnapshot {
  /** Requests per endpoint (`token`, `authorize`, `discovery`, `keys`, `graph`…). */
  endpoints: Partial<Record<EndpointName, number>>;
  /** Token-endpoint requests per `grant_type` (`authorization_code`, `refresh_token`…). */
  grantTypes: Record<string, number>;
}

/**
 * Counts requests per endpoint and per grant type.
 *
 * @example
 * ```ts
 * counters.endpoint('token');
 * counters.snapshot().endpoints.token; // 1
 * ```
 */
export class RequestCounters {
  private endpoints: Partial<Record<EndpointName, number>> = {};
  private grantTypes: Record<string, number> = {};

  endpoint(name: EndpointName): void {
    this.endpoints[name] = (this.endpoints[name] ?? 0) + 1;
  }

  grantType(grantType: string): void {
    this.grantTypes[grantType] = (this.grantTypes[grantType] ?? 0) + 1;
  }

  snapshot(): CounterSnapshot {
    return { endpoints: { ...this.endpoints }, grantTypes: { ...this.grantTypes } };
  }

  reset(): void {
    this.endpoints = {};
    this.grantTypes = {};
  }
}
