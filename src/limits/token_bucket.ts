/**
 * @module A token bucket: `rate` tokens a second, holding at most `burst`.
 */

/** Allows bursts up to `burst`, then `rate` operations a second on average. */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #updatedAt: number;

  /** Creates a full bucket. */
  constructor(rate: number, burst: number, now: number) {
    if (!(rate > 0) || !(burst >= 1)) {
      throw new RangeError(`Invalid bucket: rate ${rate}, burst ${burst}`);
    }
    this.#rate = rate;
    this.#burst = burst;
    this.#tokens = burst;
    this.#updatedAt = now;
  }

  /** Takes one token if there is one. */
  take(now: number): boolean {
    this.#tokens = Math.min(
      this.#burst,
      this.#tokens + ((now - this.#updatedAt) / 1000) * this.#rate,
    );
    this.#updatedAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
