/**
 * @module The stream's filter: event patterns (`skill:*`, exact names, comma-separated) and a
 * text search, applied incrementally: appending events filters only the new ones.
 */
import type { Row } from "./row.ts";

/** A filter as the user typed it. */
export interface StreamFilter {
  /** Comma- or space-separated patterns; empty matches every event. */
  types: string;
  /** Case-insensitive text to find in the name, summary or payload. */
  text: string;
}

/** Compiles `types` into a predicate on event names. */
export function typeMatcher(types: string): (event: string) => boolean {
  const patterns = types.split(/[\s,]+/).filter(Boolean);
  if (patterns.length === 0) return () => true;
  return (event) =>
    patterns.some((p) =>
      p === "*" || (p.endsWith("*") ? event.startsWith(p.slice(0, -1)) : event === p)
    );
}

/** The rows of a stream that pass a filter, kept up to date cheaply as rows are appended. */
export class FilteredView {
  /** The matching rows, in stream order. */
  rows: Row[] = [];
  #source: Row[] | undefined;
  #seen = 0;
  #key = "";

  /** Brings the view up to date with `source` under `filter`; returns the matching rows. */
  update(source: Row[], filter: StreamFilter): Row[] {
    const key = `${filter.types}\u0000${filter.text}`;
    if (source !== this.#source || key !== this.#key || source.length < this.#seen) {
      this.#source = source;
      this.#key = key;
      this.#seen = 0;
      this.rows = [];
    }
    if (this.#seen === source.length) return this.rows;
    const matchType = typeMatcher(filter.types);
    const text = filter.text.trim().toLowerCase();
    for (let i = this.#seen; i < source.length; i++) {
      const row = source[i];
      if (matchType(row.event) && (text === "" || row.haystack.includes(text))) this.rows.push(row);
    }
    this.#seen = source.length;
    return this.rows;
  }
}
