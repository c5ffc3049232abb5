/**
 * @module Number formats of the report: rates, milliseconds, CPU seconds and percentages.
 */

/** `12.3k`, `1.2M`. */
export function kilo(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return value.toFixed(0);
}

/** Milliseconds with precision fitting their size. */
export function ms(value: number): string {
  return value < 1
    ? value.toFixed(3)
    : value < 10
    ? value.toFixed(2)
    : value < 100
    ? value.toFixed(1)
    : value.toFixed(0);
}

/** CPU seconds per million deliveries. */
export function cpuS(value: number): string {
  return value.toFixed(2);
}

/** A share of a core, as a percentage. */
export function percent(value: number): string {
  return `${(value * 100).toFixed(0)} %`;
}
