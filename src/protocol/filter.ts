/**
 * @module Subscription event filters: exact names, `prefix:*` wildcards, or `*`.
 */
import { z } from "zod";

/** A filter pattern: an event name, `prefix:*`, or `*`. */
export const eventPatternSchema = z.string().min(1).max(128).regex(
  /^[^\s*]*\*?$/,
  "A pattern is an event name, optionally ending in *",
);

/** Decides whether an event name passes a subscription's filter. */
export type EventFilter = (event: string) => boolean;

/** The filter of every subscription that takes everything: one function, not one each. */
const EVERYTHING: EventFilter = () => true;

/** Compiles patterns into a predicate; `undefined` or `[]` lets everything through. */
export function compileFilter(patterns: readonly string[] | undefined): EventFilter {
  if (!patterns || patterns.length === 0 || patterns.includes("*")) return EVERYTHING;
  const exact = new Set(patterns.filter((p) => !p.endsWith("*")));
  const prefixes = patterns.filter((p) => p.endsWith("*")).map((p) => p.slice(0, -1));
  // Event names repeat, so remember each verdict: the hot path is a Map lookup.
  const verdicts = new Map<string, boolean>();
  return function matches(event: string): boolean {
    let verdict = verdicts.get(event);
    if (verdict === undefined) {
      verdict = exact.has(event) || prefixes.some((prefix) => event.startsWith(prefix));
      if (verdicts.size < 1024) verdicts.set(event, verdict);
    }
    return verdict;
  };
}
