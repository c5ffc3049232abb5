/**
 * @module The durability table: Switchboard on the memory store against the SQLite store, with
 * an fsync at every commit (`full`, the default) and at checkpoints only (`normal`), from the
 * same run.
 */
import { cpuS, kilo, ms } from "./_format.ts";
import type { Pick } from "./_report.ts";
import type { RunResults, ServerResults } from "./_results.ts";

/** Switchboard with the memory store against the SQLite store. */
export function durabilityTable(run: RunResults): string {
  const memory = run.servers.switchboard;
  const full = run.servers["switchboard-sqlite"];
  const normal = run.servers["switchboard-sqlite-normal"];
  if (!memory || !full) return "";
  const columns: (ServerResults | undefined)[] = [memory, full, normal];
  const big = String(run.meta.bigN);
  const step = `N=${run.meta.bigN.toLocaleString("en")} fixed rate`;
  const line = (label: string, pick: Pick, format: (v: number) => string) => {
    const values = columns.map((c) => c ? pick(c) : undefined);
    const cells = values.map((v) => typeof v === "number" ? format(v) : "–");
    const [a, b] = values;
    const ratio = typeof a === "number" && typeof b === "number" && a !== 0
      ? `${(b / a).toFixed(2)}×`
      : "";
    return `| ${label} | ${cells.join(" | ")} | ${ratio} |`;
  };
  const rows = [
    "| metric | memory | SQLite, sync full (default) | SQLite, sync normal | full ÷ memory |",
    "| --- | ---: | ---: | ---: | ---: |",
    line(
      `${step}: server CPU s per 1M deliveries`,
      (r) => r.fanout[big]?.cpuPerMillion,
      cpuS,
    ),
    line(`${step}: latency p99, ms`, (r) => r.fanout[big]?.latency.p99, ms),
    line(`${step}: publish → ack p99, ms`, (r) => r.fanout[big]?.ack.p99, ms),
    line(
      "half Socket.IO's peak: latency p99, ms",
      (r) => r.halfPeak?.latency.p99,
      ms,
    ),
    line(
      "half Socket.IO's peak: publish → ack p99, ms",
      (r) => r.halfPeak?.ack.p99,
      ms,
    ),
  ];
  for (const window of ["64", "1"]) {
    if (!columns.some((c) => c?.perEvent?.[window])) continue;
    const label = window === "1" ? "1 in flight (await each ack)" : `${window} in flight`;
    rows.push(
      line(
        `per event, ${label}: events/s`,
        (r) => r.perEvent?.[window]?.eventsPerSecond,
        kilo,
      ),
      line(
        `per event, ${label}: server CPU µs per event`,
        (r) => r.perEvent?.[window]?.cpuPerEventUs,
        (v) => v.toFixed(1),
      ),
      line(
        `per event, ${label}: publish → ack p99, ms`,
        (r) => r.perEvent?.[window]?.ack.p99,
        ms,
      ),
    );
  }
  for (
    const [i, size] of (memory.replay ?? []).map((r) => r.events).entries()
  ) {
    const events = size.toLocaleString("en");
    rows.push(
      line(
        `replay ${events} events to a late subscriber, ms`,
        (r) => r.replay?.[i]?.ms,
        whole,
      ),
      line(
        `replay ${events}: events/s`,
        (r) => r.replay?.[i]?.eventsPerSecond,
        kilo,
      ),
    );
  }
  return rows.join("\n");
}

function whole(value: number): string {
  return value.toFixed(0);
}
