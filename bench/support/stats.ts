/** Percentile of sorted samples (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** p50 and p99 of durations in microseconds. */
export function summarize(samplesUs: number[]): { p50: number; p99: number; n: number } {
  const sorted = [...samplesUs].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
}

/** Times `samples` sequential calls of `fn(i)` in microseconds each. */
export async function timeCalls(samples: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = new Array(samples);
  for (let i = 0; i < samples; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    out[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  return out;
}

/** Runs the garbage collector when node runs with --expose-gc, a few times to settle. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  for (let i = 0; i < 3; i++) gc();
}

/** Formats a number of microseconds. */
export function us(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value >= 1000) return `${(value / 1000).toFixed(1)} ms`;
  return `${value.toFixed(value < 10 ? 2 : 1)} µs`;
}

/** How a measured figure compares with its goal. */
export function verdict(met: boolean): string {
  return met ? 'met' : 'NOT met';
}
