/**
 * @module A Map that forgets its oldest entries past a size limit.
 */

/** A Map holding at most `limit` entries; setting past it evicts the oldest. */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly #limit: number;

  /** Creates an empty map that keeps at most `limit` entries. */
  constructor(limit: number) {
    super();
    if (!(limit >= 1)) throw new RangeError(`limit must be at least 1, got ${limit}`);
    this.#limit = limit;
  }

  override set(key: K, value: V): this {
    this.delete(key);
    super.set(key, value);
    if (this.size > this.#limit) this.delete(this.keys().next().value as K);
    return this;
  }
}
