/**
 * @module A latency histogram with logarithmic buckets (0.5 % wide), so millions of samples
 * cost a few kilobytes and histograms from several processes merge by adding counts.
 */

/** Relative width of a bucket: every reported value is within this of the true one. */
const GROWTH = 1.005;
const LOG_GROWTH = Math.log(GROWTH);
/** Values are recorded in microseconds; below 1 µs all share bucket 0. */
const BUCKETS = 4096; // 1.005^4096 µs ≈ 7e8 µs: anything up to about 12 minutes.

/** Counts samples (milliseconds) into logarithmic buckets. */
export class Histogram {
  /** Creates an empty histogram. */
  constructor() {
    /** @type {Uint32Array} */
    this.counts = new Uint32Array(BUCKETS);
    /** Samples recorded. */
    this.total = 0;
    /** Largest sample seen, in milliseconds. */
    this.max = 0;
  }

  /**
   * Records one sample.
   * @param {number} ms the sample, in milliseconds (negative values count as 0)
   */
  record(ms) {
    const us = ms * 1000;
    const index = us <= 1 ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(us) / LOG_GROWTH));
    this.counts[index]++;
    this.total++;
    if (ms > this.max) this.max = ms;
  }

  /**
   * The buckets that hold samples, as `[index, count]` pairs: what a process sends to be merged.
   * @returns {[number, number][]}
   */
  toSparse() {
    /** @type {[number, number][]} */
    const pairs = [];
    for (let i = 0; i < BUCKETS; i++) {
      if (this.counts[i] > 0) pairs.push([i, this.counts[i]]);
    }
    return pairs;
  }
}

/**
 * Percentiles of sparse histograms merged: `{p50, p99, p999, max}` in milliseconds, or nulls
 * when there are no samples.
 * @param {{ sparse: [number, number][], max: number }[]} parts
 * @param {number[]} [ps] percentiles to report, 0–100
 * @returns {Record<string, number | null>}
 */
export function percentiles(parts, ps = [50, 99, 99.9]) {
  const counts = new Map();
  let total = 0;
  let max = 0;
  for (const part of parts) {
    for (const [index, count] of part.sparse) {
      counts.set(index, (counts.get(index) ?? 0) + count);
    }
    total += part.sparse.reduce((sum, [, count]) => sum + count, 0);
    max = Math.max(max, part.max);
  }
  /** @type {Record<string, number | null>} */
  const out = {};
  const sorted = [...counts.entries()].sort((a, b) => a[0] - b[0]);
  for (const p of ps) {
    const key = `p${String(p).replace(".", "")}`;
    if (total === 0) {
      out[key] = null;
      continue;
    }
    const rank = Math.max(1, Math.ceil((p / 100) * total));
    let seen = 0;
    out[key] = null;
    for (const [index, count] of sorted) {
      seen += count;
      if (seen >= rank) {
        // The bucket's upper bound, capped by the largest sample actually seen.
        out[key] = Math.min(max, index === 0 ? 0.001 : GROWTH ** index / 1000);
        break;
      }
    }
  }
  out.max = total === 0 ? null : max;
  return out;
}
