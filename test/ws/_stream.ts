/**
 * @module Shared helpers of the WebSocket tests: publishing numbered events and checking that a
 * received stream is exactly the expected run of seqs.
 */
import assert from "node:assert/strict";
import type { RunningServer } from "../../src/mod.ts";
import { api, type Frame } from "../_helpers.ts";

/** Publishes `count` `custom:n` events `{n}` to `session` over REST, numbered from `from`. */
export async function publishRest(
  server: RunningServer,
  session: string,
  count: number,
  from = 1,
): Promise<number[]> {
  const events = Array.from({ length: count }, (_, i) => ({
    event: "custom:n",
    payload: { n: from + i },
  }));
  const res = await api(server, "POST", `/api/sessions/${session}/events`, events);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.seqs;
}

/** The inclusive range `from..to`. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

/** Asserts that `events` carry exactly the seqs `from..to`, in order: no gap, no duplicate. */
export function assertSeqRun(events: readonly Frame[], from: number, to: number, who = ""): void {
  const seqs = events.map((f) => f.seq);
  const expected = range(from, to);
  if (seqs.length === expected.length && seqs.every((s, i) => s === expected[i])) return;
  const seen = new Set<number>();
  const duplicates = seqs.filter((s) => seen.has(s) || !seen.add(s));
  const missing = expected.filter((s) => !seen.has(s));
  assert.fail(
    `${who} expected seqs ${from}..${to}, got ${seqs.length} events; ` +
      `duplicates ${JSON.stringify(duplicates.slice(0, 10))}, ` +
      `missing ${JSON.stringify(missing.slice(0, 10))}, ` +
      `first out of order at ${seqs.findIndex((s, i) => s !== expected[i])}`,
  );
}
