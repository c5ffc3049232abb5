/**
 * @module A stream row: a session event with its one-line summary and the lower-case text the
 * filter searches, computed once when the event arrives.
 */
import { summarize } from "./summary.ts";

/** A stream entry. */
export interface Row {
  seq: number;
  event: string;
  ts: number;
  payload: Record<string, unknown>;
  /** One-line summary. */
  summary: string;
  /** Lower-case text the text filter searches: the event name and payload (first 2,000 chars). */
  haystack: string;
}

/** Makes a row from an event's name, seq, time and payload. */
export function toRow(event: string, seq: number, ts: number, payload: unknown): Row {
  const p = (payload ?? {}) as Record<string, unknown>;
  const summary = summarize(event, p);
  const raw = JSON.stringify(p);
  return {
    seq,
    event,
    ts,
    payload: p,
    summary,
    haystack: `${event} ${raw.length > 2000 ? raw.slice(0, 2000) : raw}`.toLowerCase(),
  };
}
