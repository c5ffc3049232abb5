/**
 * @module Round-trip time bookkeeping for one connection, and percentiles across connections.
 */

/** Last and smoothed heartbeat round-trip time of one connection, in milliseconds. */
export class RoundTrip {
  /** The most recent sample, or `undefined` before the first pong. */
  last: number | undefined;
  /** Exponentially weighted average (gain 1/8, as TCP's SRTT). */
  smoothed: number | undefined;

  /** Records one round-trip sample. */
  record(ms: number): void {
    this.last = ms;
    this.smoothed = this.smoothed === undefined ? ms : this.smoothed + (ms - this.smoothed) / 8;
  }
}

/** The `p`-th percentile (0–100) of `values` by nearest rank, or `null` when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
