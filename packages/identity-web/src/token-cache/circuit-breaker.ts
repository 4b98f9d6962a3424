/** The states of a {@link CircuitBreaker}. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Settings of a {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failures: number;
  /** How long the circuit stays open before one call may probe the store, in milliseconds. */
  openMs: number;
  /** Called on every change of state (the caller logs it once). */
  onChange?: (state: CircuitState, cause?: unknown) => void;
  now?: () => number;
}

/**
 * Stops calling a failing store: after `failures` consecutive failures the circuit opens and
 * calls are refused without waiting; after `openMs` one call (the probe) goes through, and its
 * outcome closes the circuit or opens it again.
 *
 * @example
 * ```ts
 * const breaker = new CircuitBreaker({ failures: 3, openMs: 1000 });
 * if (breaker.tryAcquire()) {
 *   try { await redis.get(key); breaker.success(); } catch (e) { breaker.failure(e); }
 * }
 * ```
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probing = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    return this.current;
  }

  /** `true` when a call may go to the store now (in the half-open state, only the one probe). */
  tryAcquire(): boolean {
    if (this.current === 'closed') return true;
    if (this.probing) return false;
    if (this.current === 'open' && this.now() - this.openedAt < this.options.openMs) return false;
    this.probing = true;
    this.change('half-open');
    return true;
  }

  success(): void {
    this.consecutiveFailures = 0;
    this.probing = false;
    if (this.current !== 'closed') this.change('closed');
  }

  failure(cause?: unknown): void {
    this.consecutiveFailures++;
    const wasProbe = this.probing;
    this.probing = false;
    if (wasProbe || (this.current === 'closed' && this.consecutiveFailures >= this.options.failures)) {
      this.openedAt = this.now();
      this.change('open', cause);
    }
  }

  private change(state: CircuitState, cause?: unknown): void {
    if (state === this.current) return;
    this.current = state;
    this.options.onChange?.(state, cause);
  }
}
