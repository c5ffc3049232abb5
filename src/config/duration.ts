/**
 * @module Durations in settings: milliseconds as a number, or a string such as `"90s"` or `"7d"`.
 */
import { z } from "zod";

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration: milliseconds as a number, or a string such as `"90s"`, `"15m"`, `"12h"`, `"7d"`. */
export const durationSchema = z.union([
  z.number().int().min(0),
  z.string().regex(
    /^\d+(ms|s|m|h|d)?$/,
    'Use a number of ms or a duration like "30s", "15m", "12h", "7d"',
  ),
]).transform((value) => {
  if (typeof value === "number") return value;
  const [, amount, unit] = /^(\d+)(ms|s|m|h|d)?$/.exec(value)!;
  return Number(amount) * UNIT_MS[(unit ?? "ms") as keyof typeof UNIT_MS];
});
