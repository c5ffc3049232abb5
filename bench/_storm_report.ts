/**
 * @module The table of issue 11's scenarios: connect and reconnect storms, the fast publisher
 * and the pipelined publisher, the three servers side by side.
 */
import { kilo, ms, percent } from "./_format.ts";
import { type Row, table } from "./_report.ts";
import type { RunResults } from "./_results.ts";

/** Renders the storms and publishers table, or nothing when the run has none of them. */
export function stormTable(run: RunResults): string {
  const rows: (Row | string)[] = [];
  const sizes = new Set<string>();
  for (const results of Object.values(run.servers)) {
    for (const key of Object.keys(results?.storm ?? {})) sizes.add(key);
  }
  for (const key of [...sizes].sort((a, b) => Number(a) - Number(b))) {
    const n = Number(key).toLocaleString("en");
    rows.push(
      `**Connect storm: ${n} dashboards connect and subscribe to one new session**`,
      {
        label: "time to all subscribed, ms",
        pick: (r) => r.storm?.[key]?.ms,
        format: (v) => v.toFixed(0),
      },
      {
        label: "server CPU s",
        pick: (r) => r.storm?.[key]?.serverCpuSeconds,
        format: (v) => v.toFixed(2),
      },
      {
        label: "server RSS per idle connection, KiB",
        pick: (r) => r.storm?.[key]?.bytesPerConnection,
        format: (v) => (v / 1024).toFixed(1),
      },
    );
  }
  const reconnectN = Object.values(run.servers).find((r) => r?.reconnect)
    ?.reconnect?.n;
  if (reconnectN !== undefined) {
    rows.push(
      `**Reconnect storm: ${
        reconnectN.toLocaleString("en")
      } subscribers dropped at once, back within 1 s**`,
      {
        label: "from the drop until all are live again, ms",
        pick: (r) => r.reconnect?.ms,
        format: (v) => v.toFixed(0),
      },
      {
        label: "events missed, summed over subscribers (no resume: all of the outage's)",
        pick: (r) => r.reconnect?.missed,
        format: (v) => v.toFixed(0),
        noRatio: true,
      },
      {
        label: "events received twice",
        pick: (r) => r.reconnect?.duplicates,
        format: (v) => v.toFixed(0),
        noRatio: true,
      },
      {
        label: "reconnects that failed",
        pick: (r) => r.reconnect?.failed,
        format: (v) => v.toFixed(0),
        noRatio: true,
      },
      {
        label: "server CPU s",
        pick: (r) => r.reconnect?.serverCpuSeconds,
        format: (v) => v.toFixed(2),
      },
    );
  }
  const fast = Object.values(run.servers).find((r) => r?.fastPublisher)
    ?.fastPublisher;
  if (fast) {
    rows.push(
      `**Fast publisher: one connection at ${kilo(fast.rate)} events/s to ${fast.subscribers} ` +
        `dashboards, ${(fast.sent / fast.rate).toFixed(0)} s**`,
      {
        label: "delivered/s (✗ = incomplete)",
        pick: (r) => r.fastPublisher?.deliveriesPerSecond,
        format: kilo,
        noRatio: true,
        complete: (r) => r.fastPublisher?.complete,
      },
      {
        label: "publishes acknowledged (the relay has no acks)",
        pick: (r) =>
          r.fastPublisher?.acked ? r.fastPublisher.acked / r.fastPublisher.sent : undefined,
        format: percent,
        noRatio: true,
      },
      {
        label: "latency p50, ms",
        pick: (r) => r.fastPublisher?.latency.p50,
        format: ms,
      },
      {
        label: "latency p99, ms",
        pick: (r) => r.fastPublisher?.latency.p99,
        format: ms,
      },
      {
        label: "subscribers closed",
        pick: (r) => r.fastPublisher?.dropped,
        format: (v) => v.toFixed(0),
        noRatio: true,
      },
      {
        label: "server CPU busy",
        pick: (r) => r.fastPublisher?.serverUtilisation,
        format: percent,
        noRatio: true,
      },
      {
        label: "generator CPU busy",
        pick: (r) => r.fastPublisher?.generatorUtilisation,
        format: percent,
        noRatio: true,
      },
    );
  }
  if (Object.values(run.servers).some((r) => r?.perEvent?.["64"])) {
    rows.push(
      "**Per event: one publisher, 64 publishes in flight, one dashboard (relay: delivery as ack)**",
      {
        label: "events/s",
        pick: (r) => r.perEvent?.["64"]?.eventsPerSecond,
        format: kilo,
      },
      {
        label: "server CPU µs per event",
        pick: (r) => r.perEvent?.["64"]?.cpuPerEventUs,
        format: (v) => v.toFixed(1),
      },
      {
        label: "publish → ack p99, ms",
        pick: (r) => r.perEvent?.["64"]?.ack.p99,
        format: ms,
      },
    );
  }
  return rows.length === 0 ? "" : table(run, rows);
}
