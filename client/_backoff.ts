/**
 * @module The reconnection delay: exponential from `min`, spread by jitter, capped at `max`.
 */

/** Options of {@linkcode backoff}. */
export interface BackoffOptions {
  /** Delay of the first attempt before jitter, in milliseconds. */
  min: number;
  /** No delay is longer than this, in milliseconds. */
  max: number;
  /** Spread, 0–1: the delay varies by up to ± this fraction. */
  jitter: number;
}

/**
 * Milliseconds to wait before reconnection attempt `attempt` (from 1): `min·2^(attempt-1)`
 * capped at `max`, then moved by up to ±`jitter` of itself and capped at `max` again, so many
 * clients dropped together do not come back together.
 */
export function backoff(attempt: number, options: BackoffOptions, random = Math.random): number {
  const base = Math.min(options.max, options.min * 2 ** (attempt - 1));
  return Math.min(options.max, Math.round(base * (1 + options.jitter * (2 * random() - 1))));
}
